import type { ValueChangeDto } from '../../shared/rerun-dto';
import type { InputDiffDto, RunRefDto, StageDiffDto, VersionDiffDto } from '../../shared/version-diff-dto';

/**
 * How `retrace diff` prints a version diff: the summary line, then per aligned stage (upstream
 * first) what differs — code with its unified diff, parameters, environment, inputs with their
 * commits or changed values — then the stages and runs one side only has, and the metric files.
 */
export function formatVersionDiff(d: VersionDiffDto): string {
  const A = name(d.a);
  const B = name(d.b);
  const lines = [`${A} → ${B}`, d.summary, ''];
  for (const s of d.stages) lines.push(...formatStage(s), '');
  if (d.onlyA.length) lines.push(`Only upstream of ${A}: ${d.onlyA.map((o) => `${o.stage} (${o.runs.map(run).join(', ')})`).join('; ')}`);
  if (d.onlyB.length) lines.push(`Only upstream of ${B}: ${d.onlyB.map((o) => `${o.stage} (${o.runs.map(run).join(', ')})`).join('; ')}`);
  if (d.unaligned.a.length) lines.push(`Earlier runs upstream of ${A} only, not compared: ${d.unaligned.a.map(run).join(', ')}`);
  if (d.unaligned.b.length) lines.push(`Earlier runs upstream of ${B} only, not compared: ${d.unaligned.b.map(run).join(', ')}`);
  if (d.outputs.length) {
    lines.push('Outputs:');
    for (const o of d.outputs) {
      const what = o.changes.length ? o.changes.map(value).join(', ') + (o.moreChanges ? ` and ${o.moreChanges} more` : '') : (o.note ?? 'the same values');
      lines.push(`  ${o.a ?? '(none)'} → ${o.b ?? '(none)'}: ${what}`);
    }
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function formatStage(s: StageDiffDto): string[] {
  const out = [`${s.stage}${s.same ? '  (no difference of its own)' : ''}  — ${run(s.a)} → ${run(s.b)}`];
  const d = '  ';
  if (s.code.changed) {
    out.push(`${d}code:        ${s.code.files.length ? s.code.files.map((f) => (f.added !== null ? `${f.path} +${f.added} −${f.removed}` : `${f.path} ${f.change}${f.note ? ` (${f.note})` : ''}`)).join(', ') : `git ${s.code.gitA} → ${s.code.gitB}`}`);
    for (const f of s.code.files) if (f.diff) out.push(...f.diff.trimEnd().split('\n').map((l) => `${d}    ${l}`));
  }
  for (const a of s.parameters.args) out.push(`${d}parameter:   argv[${a.position}] ${a.a ?? '(none)'} → ${a.b ?? '(none)'}`);
  for (const c of s.parameters.configs) out.push(`${d}config:      ${c.file}${c.fileB ? ` → ${c.fileB}` : ''}: ${c.changes.length ? c.changes.map(value).join(', ') + (c.moreChanges ? ` and ${c.moreChanges} more` : '') : (c.note ?? 'changed')}`);
  if (!s.environment.same) out.push(`${d}environment: ${s.environment.summary}`);
  if (s.inputs.length || s.sameInputs) out.push(`${d}inputs:      ${s.sameInputs} the same${s.inputs.length ? `, ${s.inputs.length} ${s.inputs.length === 1 ? 'differs' : 'differ'}:` : ''}`);
  for (const i of s.inputs) out.push(...formatInput(i).map((l) => `${d}  ${l}`));
  return out;
}

function formatInput(i: InputDiffDto): string[] {
  const why = i.cause === 'own-history' ? ' (the state it updates)' : i.cause === 'upstream' ? ` (from ${i.producedByB?.job ?? 'upstream'})` : '';
  const from = (r: RunRefDto | null) => (r ? `, from ${r.job ?? 'a run'} ${when(r.at)}` : '');
  const size = (n: number | null | undefined) => (n === null || n === undefined ? '' : `, ${n} bytes`);
  if (i.change === 'only-b') return [`+ ${i.artifact} (${i.versionB}${size(i.file?.sizeB)}${from(i.producedByB)})`];
  if (i.change === 'only-a') return [`- ${i.artifact} (${i.versionA}${size(i.file?.sizeA)}${from(i.producedByA)})`];
  const head = `~ ${i.artifactA ? `${i.artifactA} → ` : ''}${i.artifact} ${i.versionA} → ${i.versionB}${why}`;
  if (i.table) {
    const c = i.table.commits.map((x) => `v${x.version} ${x.operation} +${x.rowsInserted} ~${x.rowsUpdated} −${x.rowsDeleted}`);
    return [`${head}: ${i.table.commits.length} ${i.table.commits.length === 1 ? 'commit' : 'commits'} between${c.length ? ` (${c.join('; ')})` : ''}${i.table.note ? ` — ${i.table.note}` : ''}`];
  }
  const f = i.file;
  const lines = [`${head}${f && (f.sizeA !== null || f.sizeB !== null) ? `, ${f.sizeA ?? '?'} → ${f.sizeB ?? '?'} bytes` : ''}`];
  if (f?.changes?.length) {
    // Values of data that follows from an upstream stage are many and mostly consequences: a taste.
    const shown = f.changes.slice(0, i.cause === 'upstream' ? 3 : 10);
    const more = f.changes.length - shown.length + (f.moreChanges ?? 0);
    lines.push(`    ${shown.map(value).join(', ')}${more ? ` and ${more} more` : ''}`);
  }
  else if (f?.diff) lines.push(`    +${f.added} −${f.removed} lines`);
  else if (f?.note) lines.push(`    ${f.note}`);
  return lines;
}

function value(c: ValueChangeDto): string {
  return c.change === 'added' ? `${c.key} added (${c.after})` : c.change === 'removed' ? `${c.key} removed (${c.before})` : `${c.key} ${c.before} → ${c.after}`;
}

function name(v: { artifact: string; version: string }): string {
  return v.version === 'current' ? v.artifact : `${v.artifact}@${v.version.length > 20 ? v.version.slice(0, 15) + '…' : v.version}`;
}

function run(r: RunRefDto): string {
  return `${r.job ?? 'run'} ${r.run.slice(0, 8)}${r.at ? ` ${when(r.at)}` : ''}`;
}

function when(at: string | null): string {
  return at ? at.replace('T', ' ').slice(0, 16) : '';
}
