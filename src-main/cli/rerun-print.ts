import type { OutputVerdictDto, PackageChangeDto, RerunPlanDto, RerunStageDto, RerunStageRunDto } from '../../shared/rerun-dto';
import { describeChange } from '../../shared/rerun-summary';

/**
 * How `retrace rerun` shows a plan, a stage's progress and the verdicts in a terminal. The same
 * DTOs the app draws: the CLI and the app show the same plan.
 */
export function formatPlan(plan: RerunPlanDto): string {
  const n = plan.stages.length;
  const what = plan.kind === 'stale' ? (plan.of ? `what ${plan.of} needs` : 'everything stale') : plan.kind === 'downstream' ? `run ${short(plan.of)} and its downstream` : `run ${short(plan.of)}`;
  const lines = [`Re-run plan for ${what}: ${n} ${n === 1 ? 'stage' : 'stages'}${n ? ', in this order' : ''}.`];
  const steps = new Map(plan.stages.map((s, i) => [s.id, String(i + 1)]));
  plan.stages.forEach((s, i) => lines.push(...formatStage(s, i, steps)));
  for (const note of plan.notes) lines.push(`Note: ${note}`);
  if (n === 0) lines.push('Nothing to re-run.');
  return lines.join('\n') + '\n';
}

function formatStage(s: RerunStageDto, i: number, steps: ReadonlyMap<string, string>): string[] {
  const pad = '  '.repeat(s.level);
  const head = `${String(i + 1).padStart(2)}. ${pad}${s.stage ?? 'run'}${s.after.length ? `  (after ${s.after.map((a) => steps.get(a)).join(', ')})` : ''}`;
  const at = s.runAt ? ` of ${s.runAt.replace('T', ' ').slice(0, 16)}` : '';
  const out = [head + `  — repeats run ${short(s.run)}${at}`];
  const d = '      ';
  if (s.blocked) out.push(`${d}✗ ${s.blocked.message}`);
  for (const r of s.reasons) out.push(`${d}why:        ${r}`);
  if (s.argv) {
    out.push(`${d}folder:     ${s.cwd}`);
    out.push(`${d}command:    ${s.display}`);
  }
  if (s.overwrites.length) out.push(`${d}overwrites: ${s.overwrites.map((o) => `${o.artifact}${o.version ? ` (${o.version})` : ' (new)'}`).join(', ')}`);
  const env = s.environment;
  if (env) {
    const parts = [env.recorded === env.now ? env.now ?? 'interpreter not recorded' : `${env.recorded ?? '?'} → ${env.now ?? 'not found'}`];
    if (env.packages.length) parts.push(env.packages.map(pkg).join(', '));
    if (env.variables.length) parts.push(`sets ${env.variables.map((v) => `${v.name}=${v.value}`).join(' ')}`);
    out.push(`${d}environment: ${parts.join('; ')}`);
  }
  for (const w of s.warnings) out.push(`${d}warning:    ${w.message}`);
  return out;
}

function pkg(c: PackageChangeDto): string {
  return c.kind === 'added' ? `${c.name} added (${c.to})` : c.kind === 'removed' ? `${c.name} removed (${c.from})` : `${c.name} ${c.from} → ${c.to}`;
}

/** One progress line per stage event: "[2/6] features  running", "[2/6] features  done in 3.1 s · reproduced". */
export function formatProgress(s: RerunStageRunDto, index: number, total: number, name: string): string {
  const tag = `[${index + 1}/${total}] ${name}`;
  const took = s.elapsedMs === null ? '' : ` in ${(s.elapsedMs / 1000).toFixed(1)} s`;
  switch (s.status) {
    case 'running':
      return `${tag}  running`;
    case 'done':
      return `${tag}  done${took} (run ${short(s.newRun)})${s.stageVerdict ? ` · ${s.stageVerdict}` : ''}`;
    case 'failed':
      return `${tag}  FAILED${took}: ${s.reason ?? ''}${s.newRun ? ` (run ${short(s.newRun)})` : ''}`;
    case 'skipped':
      return `${tag}  skipped: ${s.reason ?? ''}`;
    default:
      return `${tag}  queued`;
  }
}

/** One line per output: "      = a.csv  reproduced bit-for-bit", "      ≠ Models/churn/5/metrics.json  accuracy 0.91 → 0.92". */
export function formatVerdict(o: OutputVerdictDto): string {
  const mark = o.verdict === 'bit-for-bit' || o.verdict === 'same-rows' ? '=' : '≠';
  const note = o.note && o.verdict !== 'bit-for-bit' ? ` — ${o.note}` : '';
  return `      ${mark} ${o.artifact}  ${describeChange(o)}${note}`;
}

const short = (id: string | null | undefined) => (id ? id.slice(0, 8) : '?');
