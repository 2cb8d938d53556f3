import type { ReplayExecutionDto, ReplayInputDto, ReplayPlanDto } from '../../shared/replay-dto';
import { formatVerdict } from './rerun-print';

/**
 * How `retrace replay` shows the plan and the verdict in a terminal: the same DTOs the app
 * draws, so the terminal and the app name the same inputs, problems and verdict.
 */
const SOURCE: Record<ReplayInputDto['restore'], string> = {
  store: 'from the content store',
  workspace: 'unchanged in the workspace',
  'time-travel': 'time travel',
  'in-place': 'read in place, unchanged',
  current: 'NOT AS READ: the current version',
  absent: 'NOT AS READ: left out',
};

export function formatReplayPlan(plan: ReplayPlanDto): string {
  const at = plan.runAt ? ` of ${plan.runAt.replace('T', ' ').slice(0, 16)}` : '';
  const d = '  ';
  const lines = [`Replay of ${plan.stage ?? 'run'} (run ${plan.run.slice(0, 8)}${at}) in a sandbox: a temporary copy of the workspace layout; the workspace itself is not touched.`];
  if (plan.blocked) {
    lines.push(`${d}✗ ${plan.blocked.message}`);
    return lines.join('\n') + '\n';
  }
  lines.push(`${d}folder:      ${plan.cwd}`);
  lines.push(`${d}command:     ${plan.display}`);
  const ok = plan.inputs.filter((i) => !i.problem);
  lines.push(`${d}inputs:      ${ok.length} restored as the run read them`);
  for (const i of ok) lines.push(`${d}  ✓ ${i.artifact} (${i.version}, ${SOURCE[i.restore]})`);
  const bad = plan.inputs.filter((i) => i.problem);
  if (bad.length) {
    lines.push(`${d}cannot restore ${bad.length} ${bad.length === 1 ? 'input' : 'inputs'}:`);
    for (const i of bad) lines.push(`${d}  ✗ ${i.problem!.message}`);
  }
  if (plan.outputs.length) lines.push(`${d}compares:    ${plan.outputs.map((o) => `${o.artifact} (${o.version})`).join(', ')}`);
  if (plan.writesOutside.length) lines.push(`${d}warning:     it also writes outside the workspace, which a sandbox cannot hold: ${plan.writesOutside.join(', ')}`);
  const env = plan.environment;
  if (env) {
    const parts = [env.recorded === env.now ? (env.now ?? 'interpreter not recorded') : `${env.recorded ?? '?'} → ${env.now ?? 'not found'}`];
    if (env.packages.length) parts.push(env.packages.map((c) => (c.kind === 'added' ? `${c.name} added (${c.to})` : c.kind === 'removed' ? `${c.name} removed (${c.from})` : `${c.name} ${c.from} → ${c.to}`)).join(', '));
    if (env.variables.length) parts.push(`sets ${env.variables.map((v) => `${v.name}=${v.value}`).join(' ')}`);
    lines.push(`${d}environment: ${parts.join('; ')}`);
  }
  return lines.join('\n') + '\n';
}

export function formatReplayResult(r: ReplayExecutionDto): string {
  const lines: string[] = [];
  if (r.status === 'failed') lines.push(`Replay ${r.state === 'cancelled' ? 'cancelled' : 'failed'}: ${r.reason ?? 'unknown reason'}`);
  const v = r.verdict;
  if (v) {
    lines.push(`Verdict: ${v.summary}`);
    for (const o of v.outputs) lines.push(formatVerdict(o));
    lines.push(`Environment then → now: ${v.environment.summary}`);
  }
  if (r.newRun) lines.push(`Recorded as run ${r.newRun.slice(0, 8)} (${r.plan.stage ?? 'run'}.replay), linked to run ${r.plan.run.slice(0, 8)}.`);
  return lines.join('\n') + '\n';
}
