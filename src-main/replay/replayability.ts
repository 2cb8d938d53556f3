import type { ReplayProblemCode } from '../../shared/replay-dto';
import type { ContentStore } from '../content-store/content-store';
import type { ReadableDb } from '../db/open-db';
import type { CurrentState } from '../repro/current-state';
import { readRecordedRun } from '../repro/recorded-run';
import { RunIoReader, type RunIo } from '../repro/run-io';
import { inputsOf, locateInputs } from './replay-inputs';

/**
 * `retrace store`: how big the content store is, and for every captured stage run whether it
 * can still be replayed as it ran — every input restorable from the store, the workspace or
 * a table's log — or which inputs are missing and why. The same judgement the replay plan makes.
 */
export interface StoreReport {
  readonly bytes: number;
  readonly contentBytes: number;
  readonly objects: number;
  readonly budgetBytes: number;
  readonly maxFileBytes: number;
  readonly pinnedBytes: number;
  readonly pinnedRuns: readonly string[];
  readonly runs: readonly RunReplayability[];
}

export interface RunReplayability {
  readonly run: string;
  readonly stage: string | null;
  readonly at: string | null;
  readonly pinned: boolean;
  readonly replayable: boolean;
  readonly inputs: number;
  readonly missing: readonly { readonly artifact: string; readonly code: ReplayProblemCode }[];
}

export async function storeReport(ctx: { db: ReadableDb; workspaceRoot: string; store: ContentStore; now: CurrentState }): Promise<StoreReport> {
  const io = new RunIoReader(ctx.db);
  const pinned = new Set(ctx.store.pinnedRuns());
  const runs: RunReplayability[] = [];
  for (const r of capturedStageRuns(ctx.db, io)) {
    const sources = await locateInputs(inputsOf(r, readRecordedRun(ctx.db, r.id).code?.files ?? []), ctx);
    const missing = sources.filter((s) => s.dto.problem).map((s) => ({ artifact: s.dto.artifact, code: s.dto.problem!.code }));
    runs.push({
      run: r.uuid,
      stage: r.jobName,
      at: r.startedAt === null ? null : new Date(r.startedAt).toISOString(),
      pinned: pinned.has(r.uuid),
      replayable: missing.length === 0,
      inputs: sources.length,
      missing,
    });
  }
  const s = ctx.store.stats();
  return {
    bytes: s.bytes,
    contentBytes: s.contentBytes,
    objects: s.objects,
    budgetBytes: ctx.store.config.budgetBytes,
    maxFileBytes: ctx.store.config.maxFileBytes,
    pinnedBytes: s.pinnedBytes,
    pinnedRuns: [...pinned],
    runs,
  };
}

/** Runs with a recorded command that are neither pipeline runs nor replays themselves, newest first. */
function capturedStageRuns(db: ReadableDb, io: RunIoReader): RunIo[] {
  const ids = db.prepare(`SELECT id FROM runs WHERE command IS NOT NULL AND json_extract(facets, '$.retrace_replay') IS NULL ORDER BY first_seq DESC`).pluck().all() as number[];
  return ids.map((id) => io.get(id)).filter((r) => r.argv && !r.isPipeline);
}

/** The run a replay replayed (its `retrace_replay` facet), or null for a run that is no replay. */
export function replayedRun(db: ReadableDb, runId: number): string | null {
  return (db.prepare(`SELECT json_extract(facets, '$.retrace_replay.replayOf') FROM runs WHERE id = ?`).pluck().get(runId) as string | null | undefined) ?? null;
}

/** The content hashes a run needs to be replayed and compared: what it read, wrote and ran. */
export function hashesOfRun(db: ReadableDb, runId: number): string[] {
  const r = new RunIoReader(db).get(runId);
  const code = readRecordedRun(db, runId).code?.files ?? [];
  const all = [...r.reads.values(), ...r.writes.values()].filter((e) => e.versionKind === 'hash').map((e) => e.version);
  return [...new Set([...all, ...code.map((c) => c.hash)])];
}
