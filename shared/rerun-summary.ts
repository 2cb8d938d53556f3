import type { OutputVerdictDto, RerunStageRunDto } from './rerun-dto';

/** A stage is bit-for-bit when every output is; reproduced when tables kept the same rows; else it differs. */
export function stageVerdict(outputs: readonly OutputVerdictDto[]): RerunStageRunDto['stageVerdict'] {
  if (outputs.length === 0) return null;
  if (outputs.every((o) => o.verdict === 'bit-for-bit')) return 'bit-for-bit';
  if (outputs.every((o) => o.verdict === 'bit-for-bit' || o.verdict === 'same-rows')) return 'reproduced';
  return 'differs';
}

/**
 * The one line a plan ends with: "5 stages, 4 bit-for-bit, 1 differs: Models/…/metrics.json
 * accuracy 0.912 → 0.915". Failed, skipped and cancelled stages are counted too, so the line
 * never claims more than happened.
 */
export function summarize(stages: readonly RerunStageRunDto[], cancelled: boolean): string {
  const n = stages.length;
  const count = (p: (s: RerunStageRunDto) => boolean) => stages.filter(p).length;
  const done = stages.filter((s) => s.status === 'done');
  const bit = count((s) => s.status === 'done' && s.stageVerdict === 'bit-for-bit');
  const same = count((s) => s.status === 'done' && s.stageVerdict === 'reproduced');
  const differs = done.filter((s) => s.stageVerdict === 'differs');
  const nothing = count((s) => s.status === 'done' && s.stageVerdict === null);
  const failed = count((s) => s.status === 'failed');
  const skipped = count((s) => s.status === 'skipped');
  const parts = [`${n} ${n === 1 ? 'stage' : 'stages'}`];
  if (bit) parts.push(`${bit} bit-for-bit`);
  if (same) parts.push(`${same} with the same rows`);
  if (differs.length) parts.push(`${differs.length} ${differs.length === 1 ? 'differs' : 'differ'}`);
  if (nothing) parts.push(`${nothing} wrote nothing`);
  if (failed) parts.push(`${failed} failed`);
  if (skipped) parts.push(`${skipped} skipped`);
  let line = (cancelled ? 'Cancelled: ' : '') + parts.join(', ');
  const diffs = differs.flatMap((s) => s.outputs.filter((o) => o.verdict !== 'bit-for-bit' && o.verdict !== 'same-rows'));
  if (diffs.length) line += `: ${diffs.slice(0, 2).map(describeDifference).join('; ')}${diffs.length > 2 ? ` and ${diffs.length - 2} more` : ''}`;
  return line;
}

/** "Models/…/metrics.json accuracy 0.912 → 0.915", "Churn_featurestore.db/customer_features_1 3 inserted, 2 updated rows". */
export function describeDifference(o: OutputVerdictDto): string {
  return `${elide(o.artifact)} ${describeChange(o)}`;
}

/** What differs in one output, without its name: "accuracy 0.912 → 0.915 (+2 more)", "60 updated rows". */
export function describeChange(o: OutputVerdictDto): string {
  if (o.verdict === 'bit-for-bit') return 'reproduced bit-for-bit';
  if (o.verdict === 'same-rows') return 'the same rows';
  if (o.verdict === 'not-written') return 'not written';
  if (o.verdict === 'new') return 'new';
  if (o.rows) {
    const r = o.rows;
    const parts = [r.inserted && `${r.inserted} inserted`, r.updated && `${r.updated} updated`, r.deleted && `${r.deleted} deleted`].filter(Boolean);
    return `${parts.length ? parts.join(', ') : 'no'} ${r.inserted + r.updated + r.deleted === 1 ? 'row' : 'rows'}`;
  }
  const c = o.changes[0];
  if (!c) return 'differs';
  const value = c.change === 'added' ? `${c.after} (added)` : c.change === 'removed' ? `${c.before} (removed)` : `${c.before} → ${c.after}`;
  const more = o.moreChanges + o.changes.length - 1;
  return `${c.key} ${value}${more > 0 ? ` (+${more} more)` : ''}`;
}

/** Long paths keep their first and last parts: "Experiments/…/metrics.json". */
export function elide(p: string): string {
  const parts = p.split('/');
  return parts.length > 3 ? `${parts[0]}/…/${parts.at(-1)}` : p;
}
