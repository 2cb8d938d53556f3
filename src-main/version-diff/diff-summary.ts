import type { InputDiffDto, StageDiffDto } from '../../shared/version-diff-dto';

/**
 * The one line on top of a version diff: the stages that differ and in what — code, parameters,
 * source data, environment — upstream first; an environment change every differing stage shares
 * is said once; then the stages only one side has. Differences that only follow from an
 * upstream stage (its new output read downstream) are in the details, not in this line.
 *   "4 stages differ: features (inputs data/staged/day-04.jsonl and 2 more added, …), training_set,
 *    train, evaluate (code: pipeline/evaluate.py +1 −1); every stage: fastmath added (1.4.0);
 *    only in Models/churn/5: redeliver"
 */
export function diffSummary(
  stages: readonly StageDiffDto[],
  only: { a: readonly string[]; b: readonly string[] },
  labels: { a: string; b: string },
): string {
  const differing = stages.filter((s) => !s.same);
  const envs = new Set(differing.map((s) => (s.environment.same ? '' : s.environment.summary)));
  const commonEnv = differing.length > 1 && envs.size === 1 && !envs.has('') ? [...envs][0]! : null;
  const parts = differing.map((s) => {
    const why = [...codeParts(s), ...paramParts(s), ...inputParts(s.inputs), ...(commonEnv || s.environment.same ? [] : [s.environment.summary])];
    return why.length ? `${s.stage} (${why.join('; ')})` : s.stage;
  });
  const tail: string[] = [];
  if (commonEnv) tail.push(`every stage: ${commonEnv}`);
  if (only.a.length) tail.push(`only in ${labels.a}: ${only.a.join(', ')}`);
  if (only.b.length) tail.push(`only in ${labels.b}: ${only.b.join(', ')}`);
  if (!differing.length) {
    const head = stages.length ? `No stage differs in code, parameters, environment or source data (${stages.length} compared)` : 'No stages to compare';
    return [head, ...tail].join('; ');
  }
  return [`${differing.length} ${differing.length === 1 ? 'stage differs' : 'stages differ'}: ${parts.join(', ')}`, ...tail].join('; ');
}

function codeParts(s: StageDiffDto): string[] {
  if (!s.code.changed) return [];
  if (!s.code.files.length) return [`code: git ${(s.code.gitA ?? '?').slice(0, 7)} → ${(s.code.gitB ?? '?').slice(0, 7)}`];
  const files = s.code.files.map((f) => {
    if (f.change !== 'changed') return `${f.path} ${f.change}`;
    return f.added !== null ? `${f.path} +${f.added} −${f.removed}` : `${f.path} changed`;
  });
  return [`code: ${listed(files)}`];
}

function paramParts(s: StageDiffDto): string[] {
  const out: string[] = [];
  const args = s.parameters.args;
  if (args.length) out.push(`param ${listed(args.map((a) => `argv[${a.position}] ${a.a ?? '(none)'} → ${a.b ?? '(none)'}`))}`);
  for (const c of s.parameters.configs) {
    const first = c.changes[0];
    const name = c.file.split('/').at(-1);
    out.push(first ? `${name} ${first.key} ${first.before ?? '(none)'} → ${first.after ?? '(none)'}${c.changes.length + c.moreChanges > 1 ? ` (+${c.changes.length + c.moreChanges - 1} more)` : ''}` : `${name} changed`);
  }
  return out;
}

function inputParts(inputs: readonly InputDiffDto[]): string[] {
  const root = inputs.filter((i) => i.cause === 'source');
  const out: string[] = [];
  for (const i of root.filter((x) => x.change === 'changed')) {
    out.push(i.kind === 'table' ? `input ${i.artifact} ${i.versionA} → ${i.versionB}` : `input ${i.artifact} changed`);
  }
  const added = root.filter((x) => x.change === 'only-b').map((x) => x.artifact);
  const removed = root.filter((x) => x.change === 'only-a').map((x) => x.artifact);
  const moved = [added.length ? `${listed(added, 1)} added` : '', removed.length ? `${listed(removed, 1)} removed` : ''].filter(Boolean);
  if (moved.length) out.push(`${added.length + removed.length === 1 ? 'input' : 'inputs'} ${moved.join(', ')}`);
  return out;
}

function listed(items: readonly string[], max = 2): string {
  const shown = items.slice(0, max);
  const more = items.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
}
