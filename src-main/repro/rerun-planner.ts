import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { RerunBlockCode, RerunPlanRequest } from '../../shared/rerun-dto';
import type { CurrentState } from './current-state';
import { buildPlanDag, descendantsOf } from './rerun-dag';
import type { RunIo, RunIoReader } from './run-io';
import { staleReasonsOf } from './stale-check';

/**
 * Which stages a re-run plan holds, in which order, and which of them cannot run (DESIGN §4,
 * issue 14). A stage is represented by the past run it repeats.
 *
 * - `run`: that run (a pipeline run: its stages).
 * - `downstream`: the run and every run that consumed what it produced, transitively and
 *   version-aware (the impact set).
 * - `stale`: the live pipeline — each stage's newest completed run, and the runs that produced
 *   the versions those read — restricted to the runs whose outputs are stale: an input changed
 *   (a newer recorded version, or different content on disk), an input is gone, or a code file
 *   it ran changed on disk; plus, transitively, every live run reading what a planned run
 *   rewrites. Environment changes are shown as warnings, not counted: a package upgrade on the
 *   machine should not re-run the whole pipeline. Earlier outputs nothing live reads (last
 *   week's model) are left alone and counted in a note.
 *
 * The same command in the same folder is planned once (its newest run; for `downstream`, the
 * run asked for).
 */
export interface PlannerContext {
  readonly workspaceRoot: string;
  readonly io: RunIoReader;
  readonly now: CurrentState;
  resolveRun(ref: string): number;
  /** The artifact and, for a folder, the files rolled up into it. */
  artifactFiles(ref: string): { label: string; ids: number[] };
  /** Runs that consumed what `run` produced, transitively (uuids). */
  impactRuns(run: string): string[];
  /** Child runs of a pipeline run (ids). */
  childRuns(run: string): number[];
  /** Producers (uuids) of every stale current version, as the lineage engine judges staleness. */
  staleProducers(): Map<string, number>;
}

export interface PlannedStage {
  readonly id: string;
  /** The run repeated: the planner's choice, or the user's pick. */
  readonly run: RunIo;
  readonly reasons: readonly string[];
  readonly blocked: { readonly code: RerunBlockCode; readonly message: string } | null;
  readonly after: readonly string[];
  readonly level: number;
}

export interface StagePlan {
  readonly stages: readonly PlannedStage[];
  readonly waitsFor: ReadonlyMap<string, ReadonlySet<string>>;
  readonly notes: readonly string[];
}

export async function planStages(ctx: PlannerContext, req: RerunPlanRequest): Promise<StagePlan> {
  const { nodes, reasons, notes } = await selectRuns(ctx, req);
  const dag = buildPlanDag(nodes.map((r) => ({ id: r.uuid, seq: r.firstSeq, reads: new Set(r.reads.keys()), writes: new Set(r.writes.keys()) })));
  const byId = new Map(nodes.map((r) => [r.uuid, r]));
  // Why a downstream stage is there: what it consumed from the stage it waits for.
  for (const id of dag.order) {
    if (reasons.get(id)?.length) continue;
    const [from, artifact] = [...(dag.via.get(id) ?? new Map<string, number>())][0] ?? [];
    const src = from ? byId.get(from) : undefined;
    const label = src && artifact !== undefined ? src.writes.get(artifact)?.label : undefined;
    reasons.set(id, [src && label ? `It reads ${label}, which ${stageName(src)} writes.` : 'It consumed what an earlier stage of the plan produced.']);
  }
  const repeated = applyPicks(ctx, req, byId);
  const blocked = new Map<string, { code: RerunBlockCode; message: string }>();
  for (const id of dag.order) {
    const b = cannotRun(repeated.get(id)!, ctx.workspaceRoot);
    if (b) blocked.set(id, b);
  }
  for (const id of [...blocked.keys()]) {
    for (const d of descendantsOf([id], dag.waitsFor)) {
      if (!blocked.has(d)) blocked.set(d, { code: 'UPSTREAM_BLOCKED', message: `Waits for ${stageName(repeated.get(id)!)}, which cannot re-run.` });
    }
  }
  const stages = dag.order.map((id) => ({
    id,
    run: repeated.get(id)!,
    reasons: reasons.get(id) ?? [],
    blocked: blocked.get(id) ?? null,
    after: dag.after.get(id) ?? [],
    level: dag.level.get(id) ?? 0,
  }));
  return { stages, waitsFor: dag.waitsFor, notes };
}

async function selectRuns(ctx: PlannerContext, req: RerunPlanRequest): Promise<{ nodes: RunIo[]; reasons: Map<string, string[]>; notes: string[] }> {
  const reasons = new Map<string, string[]>();
  const notes: string[] = [];
  if (req.kind === 'run' || req.kind === 'downstream') {
    if (!req.run) throw new AppError('INVALID_ARGUMENT', `A ${req.kind} re-run needs the run to start from.`);
    const root = ctx.io.get(ctx.resolveRun(req.run));
    if (req.kind === 'run') {
      if (!root.isPipeline) {
        reasons.set(root.uuid, ['The run you asked to repeat.']);
        return { nodes: [root], reasons, notes };
      }
      const children = ctx.childRuns(root.uuid).map((id) => ctx.io.get(id)).filter((r) => !r.isPipeline);
      if (!children.length) throw new AppError('NOT_FOUND', `Pipeline run ${root.uuid} has no stage runs to repeat.`);
      for (const c of children) reasons.set(c.uuid, [`A stage of pipeline run ${root.uuid.slice(0, 8)}.`]);
      return { nodes: dedupe(children, null), reasons, notes };
    }
    if (root.isPipeline) throw new AppError('INVALID_ARGUMENT', `Run ${root.uuid} is a pipeline run; re-run its first stage with its downstream instead.`);
    reasons.set(root.uuid, ['The run you asked to repeat.']);
    const consumers = ctx.impactRuns(root.uuid).map((u) => ctx.io.get(ctx.resolveRun(u))).filter((r) => !r.isPipeline);
    return { nodes: dedupe([root, ...consumers], root.id), reasons, notes };
  }
  return selectStale(ctx, req.artifacts ?? [], reasons, notes);
}

async function selectStale(ctx: PlannerContext, artifacts: readonly string[], reasons: Map<string, string[]>, notes: string[]): Promise<{ nodes: RunIo[]; reasons: Map<string, string[]>; notes: string[] }> {
  // The newest run of a command stands for it: an older run of the same command is history.
  const live = dedupe(liveRuns(ctx.io), null).sort((a, b) => a.firstSeq - b.firstSeq);
  const stale = new Map<number, RunIo>();
  for (const r of live) {
    const why = await staleReasonsOf(r, ctx.io, ctx.now);
    if (why.length) {
      stale.set(r.id, r);
      reasons.set(r.uuid, why);
    }
  }
  // Whatever reads an output of a planned run is re-run after it.
  for (let grew = true; grew; ) {
    grew = false;
    for (const b of live) {
      if (stale.has(b.id)) continue;
      for (const a of stale.values()) {
        const shared = [...a.writes.keys()].find((x) => b.reads.has(x));
        if (shared === undefined) continue;
        stale.set(b.id, b);
        reasons.set(b.uuid, [`It reads ${a.writes.get(shared)!.label}, which ${stageName(a)} re-creates.`]);
        grew = true;
        break;
      }
    }
  }
  let nodes = [...stale.values()];
  if (artifacts.length) {
    const dag = buildPlanDag(nodes.map((r) => ({ id: r.uuid, seq: r.firstSeq, reads: new Set(r.reads.keys()), writes: new Set(r.writes.keys()) })));
    const wanted = new Set<string>();
    for (const ref of artifacts) {
      const { label, ids } = ctx.artifactFiles(ref);
      const producers = nodes.filter((r) => ids.some((id) => r.writes.has(id)));
      if (!producers.length) notes.push(`${label} is up to date: no stale stage writes it.`);
      for (const p of producers) wanted.add(p.uuid);
    }
    // A wanted stage needs the planned stages it waits for, transitively.
    const need = new Set(wanted);
    for (let grew = true; grew; ) {
      grew = false;
      for (const id of [...need]) {
        for (const w of dag.waitsFor.get(id) ?? []) {
          if (need.has(w)) continue;
          need.add(w);
          grew = true;
        }
      }
    }
    nodes = nodes.filter((r) => need.has(r.uuid));
  }
  const liveIds = new Set(liveRuns(ctx.io).map((r) => r.uuid));
  const leftOut = [...ctx.staleProducers()].filter(([run]) => !liveIds.has(run));
  if (!artifacts.length && leftOut.length) {
    const n = leftOut.reduce((s, [, count]) => s + count, 0);
    notes.push(`${n} stale ${n === 1 ? 'version' : 'versions'} of earlier outputs (from ${leftOut.length} older ${leftOut.length === 1 ? 'run' : 'runs'}) ${n === 1 ? 'is' : 'are'} left alone: nothing the pipeline uses now reads them. Re-run such a run on its own to refresh it.`);
  }
  return { nodes, reasons, notes };
}

/** Each stage's newest completed run, and (transitively) the producers of the current versions they read. */
function liveRuns(io: RunIoReader): RunIo[] {
  const live = new Map<number, RunIo>();
  const queue = io.headRuns();
  while (queue.length) {
    const r = queue.shift()!;
    if (live.has(r.id)) continue;
    live.set(r.id, r);
    for (const a of r.reads.keys()) {
      const p = io.current(a)?.producer;
      if (p && p !== r.id && !live.has(p)) {
        const pr = io.get(p);
        if (!pr.isPipeline) queue.push(pr);
      }
    }
  }
  return [...live.values()].sort((a, b) => a.firstSeq - b.firstSeq);
}

/** One node per command and folder: `keep` (the run asked for) wins, else the newest run. */
function dedupe(runs: readonly RunIo[], keep: number | null): RunIo[] {
  const best = new Map<string, RunIo>();
  for (const r of runs) {
    const key = r.argv ? `${r.jobId}\0${r.cwd ?? '.'}\0${JSON.stringify(r.argv)}` : `run:${r.id}`;
    const cur = best.get(key);
    if (!cur || (cur.id !== keep && (r.id === keep || r.firstSeq > cur.firstSeq))) best.set(key, r);
  }
  return [...best.values()];
}

function applyPicks(ctx: PlannerContext, req: RerunPlanRequest, byId: ReadonlyMap<string, RunIo>): Map<string, RunIo> {
  const out = new Map(byId);
  for (const p of req.picks ?? []) {
    const planned = byId.get(p.stage);
    if (!planned) throw new AppError('INVALID_ARGUMENT', `The plan has no stage "${p.stage}" to pick another run for.`);
    const picked = ctx.io.get(ctx.resolveRun(p.run));
    if (picked.jobId === null || picked.jobId !== planned.jobId) {
      throw new AppError('INVALID_ARGUMENT', `Run ${picked.uuid} is not a run of ${stageName(planned)}; pick one of its own runs.`);
    }
    out.set(p.stage, picked);
  }
  return out;
}

function cannotRun(r: RunIo, workspaceRoot: string): { code: RerunBlockCode; message: string } | null {
  if (!r.argv) return { code: 'NOT_CAPTURED', message: `Cannot re-run (not captured): run ${r.uuid.slice(0, 8)} recorded no command; it was not run through \`retrace run\`.` };
  const root = path.resolve(workspaceRoot);
  const cwd = path.resolve(root, r.cwd ?? '.');
  if (cwd !== root && !cwd.startsWith(root + path.sep)) return { code: 'OUTSIDE_WORKSPACE', message: `Ran in ${cwd}, outside the workspace; re-runs stay inside ${root}.` };
  if (!fs.existsSync(cwd)) return { code: 'FOLDER_MISSING', message: `The folder it ran in, ${cwd}, no longer exists.` };
  return null;
}

/** How a stage is named in sentences: its job name. */
export function stageName(r: RunIo): string {
  return r.jobName ?? `run ${r.uuid.slice(0, 8)}`;
}
