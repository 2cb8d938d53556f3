import fs from 'node:fs';
import path from 'node:path';
import type { OutputVerdictDto } from '../../shared/rerun-dto';
import type { FootprintOp } from '../capture/footprint';
import { sha256Text } from '../capture/hashing';
import { tableDiff } from '../lake/table-api';
import type { CurrentState } from './current-state';
import { DIFFABLE, diffDataFile } from './data-diff';
import type { RunIo } from './run-io';
import { short } from './stale-check';

/**
 * The verdict on every output of a re-run, against the run it repeats (issue 14): identical
 * content hash → bit-for-bit; otherwise "differs", with the changed values of JSON / CSV /
 * JSON-lines files, or the rows a Delta table's new commit inserted, updated and deleted.
 *
 * The repeated run's file contents are gone once the re-run overwrites them, so `baseline` keeps
 * them first — only small data files, and only when what is on disk is still exactly the
 * version that run wrote (otherwise there is nothing true to compare the values with).
 */
const BASELINE_MAX_BYTES = 8 * 1024 * 1024;

export interface Baseline {
  readonly label: string;
  readonly path: string | null;
  /** The version the repeated run wrote: a content hash, or a table version. */
  readonly version: string;
  readonly versionKind: string;
  readonly table: boolean;
  readonly content: Buffer | null;
}

export async function captureBaselines(run: RunIo, workspaceRoot: string, now: CurrentState): Promise<Baseline[]> {
  const out: Baseline[] = [];
  for (const w of run.writes.values()) {
    const table = w.path !== null && (now.deltaVersion(w.path) !== null || w.versionKind === 'dataset_version');
    let content: Buffer | null = null;
    if (w.path && !table && w.versionKind === 'hash' && DIFFABLE.test(w.path)) {
      const abs = path.resolve(workspaceRoot, w.path);
      try {
        if (fs.statSync(abs).size <= BASELINE_MAX_BYTES) {
          const buf = fs.readFileSync(abs);
          if (sha256Text(buf) === w.version) content = buf;
        }
      } catch {
        // gone: nothing to keep
      }
    }
    out.push({ label: w.label, path: w.path, version: w.version, versionKind: w.versionKind, table, content });
  }
  return out;
}

export async function judgeOutputs(baselines: readonly Baseline[], footprint: readonly FootprintOp[], workspaceRoot: string, limit = 10): Promise<OutputVerdictDto[]> {
  const written = finalWrites(footprint, workspaceRoot);
  const out: OutputVerdictDto[] = [];
  for (const b of baselines) {
    const w = b.path ? written.get(b.path) : undefined;
    if (b.path) written.delete(b.path);
    const kind: OutputVerdictDto['kind'] = b.table ? 'table' : 'file';
    const before = b.table ? b.version : b.versionKind === 'hash' ? b.version : null;
    if (!w) {
      out.push({ artifact: b.label, kind, verdict: 'not-written', before: label(before, b.table), after: null, changes: [], moreChanges: 0, note: 'The re-run did not write it.' });
      continue;
    }
    if (b.table) {
      out.push(await judgeTable(b, w, workspaceRoot));
      continue;
    }
    const after = w.hashAfter ?? null;
    if (before !== null && after === before) {
      out.push({ artifact: b.label, kind, verdict: 'bit-for-bit', before: short(before), after: short(after), changes: [], moreChanges: 0 });
      continue;
    }
    const base = { artifact: b.label, kind, verdict: 'differs' as const, before: label(before, false), after: label(after, false) };
    if (before === null) {
      out.push({ ...base, changes: [], moreChanges: 0, note: 'The repeated run recorded no content hash for it.' });
    } else if (!b.content) {
      out.push({ ...base, changes: [], moreChanges: 0, note: DIFFABLE.test(b.label) ? 'The version the run wrote was no longer on disk to compare values with.' : 'Compared by content hash.' });
    } else {
      let now: Buffer | null = null;
      try {
        now = fs.readFileSync(path.resolve(workspaceRoot, b.path!));
      } catch {
        now = null;
      }
      const d = now ? diffDataFile(b.label, b.content, now, limit) : { note: 'It was gone again when compared.' };
      out.push('note' in d ? { ...base, changes: [], moreChanges: 0, note: d.note } : { ...base, changes: d.changes, moreChanges: d.total - d.changes.length });
    }
  }
  for (const [p, w] of written) {
    out.push({ artifact: p, kind: w.kind === 'delta_table' ? 'table' : 'file', verdict: 'new', before: null, after: w.kind === 'delta_table' ? `v${w.tableVersion}` : label(w.hashAfter ?? null, false), changes: [], moreChanges: 0, note: 'The repeated run did not write it.' });
  }
  return out;
}

async function judgeTable(b: Baseline, w: FootprintOp, workspaceRoot: string): Promise<OutputVerdictDto> {
  const base = { artifact: b.label, kind: 'table' as const, before: label(b.version, true), after: w.tableVersion === undefined ? null : `v${w.tableVersion}` };
  const from = Number(b.version);
  if (!/^\d+$/.test(b.version) || w.tableVersion === undefined) {
    return { ...base, verdict: 'differs', changes: [], moreChanges: 0, note: 'No table versions to compare rows between.' };
  }
  if (w.tableVersion === from) return { ...base, verdict: 'bit-for-bit', changes: [], moreChanges: 0, note: 'No new commit.' };
  try {
    const d = await tableDiff(path.resolve(workspaceRoot, b.path!), from, w.tableVersion, { limit: 200_000 });
    const same = d.counts.inserted === 0 && d.counts.deleted === 0 && !d.truncated && sameImages(d.changes);
    return { ...base, verdict: same ? 'same-rows' : 'differs', rows: d.counts, changes: [], moreChanges: 0, ...(same && d.counts.updated ? { note: `${d.counts.updated} rows rewritten with the same values.` } : {}) };
  } catch (err) {
    return { ...base, verdict: 'differs', changes: [], moreChanges: 0, note: `Its rows could not be compared (${(err as Error).message}).` };
  }
}

/** Whether every updated row's new image equals an old image (the update changed no value). */
function sameImages(changes: readonly Record<string, unknown>[]): boolean {
  const key = (r: Record<string, unknown>) => JSON.stringify(Object.entries(r).filter(([k]) => !k.startsWith('_')).sort(), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  const pre = new Map<string, number>();
  for (const c of changes) if (c._change_type === 'update_preimage') pre.set(key(c), (pre.get(key(c)) ?? 0) + 1);
  for (const c of changes) {
    if (c._change_type !== 'update_postimage') continue;
    const n = pre.get(key(c)) ?? 0;
    if (n === 0) return false;
    pre.set(key(c), n - 1);
  }
  return true;
}

/**
 * Per path, the re-run's write (with its content hash) of what exists once it ended: temporary
 * files it created and deleted are not outputs. The footprint lists one entry per operation
 * kind, not in time order, so "exists now" decides.
 */
function finalWrites(footprint: readonly FootprintOp[], workspaceRoot: string): Map<string, FootprintOp> {
  const out = new Map<string, FootprintOp>();
  for (const o of footprint) {
    if (o.op !== 'CREATE' && o.op !== 'MODIFY' && o.op !== 'RENAME') continue;
    if (!fs.existsSync(path.resolve(workspaceRoot, o.path))) continue;
    const prev = out.get(o.path);
    if (!prev || (o.hashAfter && !prev.hashAfter) || o.tableVersion !== undefined) out.set(o.path, o);
  }
  return out;
}

function label(v: string | null, table: boolean): string | null {
  if (v === null) return null;
  return table ? (/^\d+$/.test(v) ? `v${v}` : v) : short(v);
}
