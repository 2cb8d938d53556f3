import path from 'node:path';
import type { ReplayInputDto, ReplayProblemCode } from '../../shared/replay-dto';
import type { ContentStore, MissingReason } from '../content-store/content-store';
import { tableHistory } from '../lake/table-api';
import type { CurrentState } from '../repro/current-state';
import type { RunIo } from '../repro/run-io';
import { short } from '../repro/stale-check';

/**
 * For every input a run read — data files, code files, Delta tables — where its version can
 * come from now: the content store, the workspace (when it still holds exactly that version),
 * or the table's log (time travel). What cannot come back as it was read is named with the
 * reason (evicted, recorded by hash only, outside the workspace, …) and with what the replay
 * gets instead: the current version, or nothing.
 */
export interface InputSource {
  readonly dto: ReplayInputDto;
  /** As recorded: workspace-relative inside the workspace, absolute outside. */
  readonly path: string | null;
  /** The content hash restored (from the store, or checked on the workspace's copy). */
  readonly hash: string | null;
  readonly tableVersion: number | null;
}

export interface RunInput {
  readonly label: string;
  readonly path: string | null;
  readonly kind: string;
  readonly version: string;
  readonly versionKind: string;
}

/** The run's inputs: what it read (tables at the version read) and the code files it ran. */
export function inputsOf(run: RunIo, codeFiles: readonly { path: string; hash: string }[]): RunInput[] {
  const out = new Map<string, RunInput>();
  for (const e of run.reads.values()) out.set(e.path ?? e.label, { label: e.label, path: e.path, kind: e.kind, version: e.version, versionKind: e.versionKind });
  for (const c of codeFiles) if (!out.has(c.path)) out.set(c.path, { label: c.path, path: c.path, kind: 'code', version: c.hash, versionKind: 'hash' });
  return [...out.values()].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

export async function locateInputs(inputs: readonly RunInput[], ctx: { workspaceRoot: string; store: ContentStore; now: CurrentState }): Promise<InputSource[]> {
  const out: InputSource[] = [];
  for (const i of inputs) out.push(await locate(i, ctx));
  return out;
}

async function locate(i: RunInput, ctx: { workspaceRoot: string; store: ContentStore; now: CurrentState }): Promise<InputSource> {
  const kind: ReplayInputDto['kind'] = i.kind === 'code' ? 'code' : 'file';
  const base = { path: i.path, hash: null, tableVersion: null };
  const problem = (code: ReplayProblemCode, message: string, restore: 'current' | 'absent', k: ReplayInputDto['kind'] = kind, version = short(i.version)): InputSource => ({
    ...base,
    dto: { artifact: i.label, kind: k, version, restore, problem: { code, message } },
  });
  if (i.path === null) {
    return problem('NOT_A_FILE', `${i.label} is not a file or table Retrace can restore; the replay reads it as it is now.`, 'current', 'dataset');
  }
  const fallback = (): 'current' | 'absent' => (ctx.now.exists(i.path!) ? 'current' : 'absent');
  const table = i.versionKind === 'dataset_version' || ctx.now.deltaVersion(i.path) !== null;
  if (table && /^\d+$/.test(i.version)) {
    const v = Number(i.version);
    const have = tableVersions(path.resolve(ctx.workspaceRoot, i.path));
    if (have === null) return problem('TABLE_VERSION_GONE', `The table ${i.label} no longer exists, so version ${v} cannot be restored.`, 'absent', 'table', `v${v}`);
    if (!have.has(v)) return problem('TABLE_VERSION_GONE', `Version ${v} of ${i.label} is no longer in its log (cleaned up); the replay reads the table as it is now.`, 'current', 'table', `v${v}`);
    return { ...base, tableVersion: v, dto: { artifact: i.label, kind: 'table', version: `v${v}`, restore: 'time-travel', problem: null } };
  }
  if (i.versionKind !== 'hash') {
    return problem('NO_CONTENT_HASH', `${i.label} was recorded without a content hash, so the version read is unknown; the replay ${fallback() === 'current' ? 'reads it as it is now' : 'runs without it (it is gone)'}.`, fallback());
  }
  const inside = isInside(ctx.workspaceRoot, i.path);
  const onDisk = ctx.now.exists(i.path) ? await ctx.now.hash(i.path) : null;
  if (!inside) {
    if (onDisk?.hash === i.version) return { ...base, dto: { artifact: i.label, kind, version: short(i.version), restore: 'in-place', problem: null } };
    return problem('OUTSIDE_WORKSPACE', `${i.label} is outside the workspace and ${onDisk ? 'has changed' : 'is gone'} since the run read it; the replay ${onDisk ? 'reads it as it is now' : 'runs without it'}.`, onDisk ? 'current' : 'absent');
  }
  if (ctx.store.has(i.version)) return { ...base, hash: i.version, dto: { artifact: i.label, kind, version: short(i.version), restore: 'store', problem: null } };
  if (onDisk?.hash === i.version) return { ...base, hash: i.version, dto: { artifact: i.label, kind, version: short(i.version), restore: 'workspace', problem: null } };
  const why = ctx.store.whyMissing(i.version);
  const instead = onDisk ? 'the replay would read the version there is now' : 'the replay would run without it (it is gone from the workspace too)';
  return problem(codeOf(why), `${i.label} (${short(i.version)}, the version the run read) ${REASON[why]}; ${instead}.`, onDisk ? 'current' : 'absent');
}

const REASON: Record<MissingReason, string> = {
  evicted: 'was evicted from the content store',
  'too-big': 'was recorded by hash only (above the content store\'s size limit)',
  ignored: 'was recorded by hash only (the content store\'s ignore rules)',
  'never-stored': 'is not in the content store (it was captured before the store kept copies)',
  'not-a-content-hash': 'was fingerprinted, not hashed in full, so no copy of it was kept',
};

function codeOf(why: MissingReason): ReplayProblemCode {
  if (why === 'evicted') return 'EVICTED';
  if (why === 'never-stored') return 'NOT_STORED';
  return 'HASH_ONLY';
}

function tableVersions(dir: string): Set<number> | null {
  try {
    return new Set(tableHistory(dir).map((c) => c.version));
  } catch {
    return null;
  }
}

export function isInside(root: string, p: string): boolean {
  const abs = path.resolve(root, p);
  const r = path.resolve(root);
  return abs === r || abs.startsWith(r + path.sep);
}
