import fs from 'node:fs';
import path from 'node:path';
import type { EnvironmentDiffDto, ReplayVerdictDto } from '../../shared/replay-dto';
import type { OutputVerdictDto } from '../../shared/rerun-dto';
import { describeDifference, stageVerdict } from '../../shared/rerun-summary';
import type { EnvironmentFacet } from '../capture/environment';
import type { FootprintOp } from '../capture/footprint';
import { sha256Text } from '../capture/hashing';
import type { ContentStore } from '../content-store/content-store';
import { readTablePage } from '../lake/table-api';
import { DIFFABLE } from '../repro/data-diff';
import { diffPackages, summarizeChanges } from '../repro/env-diff';
import { judgeOutputs, type Baseline } from '../repro/output-verdict';
import type { RecordedEnvironment } from '../repro/recorded-run';
import type { IoEntry } from '../repro/run-io';
import { short } from '../repro/stale-check';
import { ecosystemOf } from '../repro/version-compare';

/**
 * A replay's verdict (issue 15): each output the replay wrote in its sandbox against what the
 * run replayed wrote — the re-run verdict (bit-for-bit, or the changed keys / values / rows),
 * with the original contents taken from the content store since the workspace has moved on —
 * and the environment then and now. Tables compare rows: the replay's commit has the same
 * version number as the original's in its own copy of the log, so "no new commit" says nothing.
 */
const BASELINE_MAX_BYTES = 8 * 1024 * 1024;
const TABLE_ROWS_COMPARED = 200_000;

export interface VerdictInput {
  readonly writes: readonly IoEntry[];
  /** Paths of the outputs that are Delta tables. */
  readonly tables: ReadonlySet<string>;
  readonly footprint: readonly FootprintOp[];
  readonly sandboxRoot: string;
  readonly workspaceRoot: string;
  readonly store: ContentStore;
  readonly then: RecordedEnvironment | null;
  readonly now: EnvironmentFacet | null;
  readonly missingInputs: readonly string[];
}

export async function replayVerdict(v: VerdictInput): Promise<ReplayVerdictDto> {
  const fileBaselines: Baseline[] = [];
  const tableOutputs: OutputVerdictDto[] = [];
  for (const w of v.writes) {
    if (w.path !== null && v.tables.has(w.path)) {
      tableOutputs.push(await judgeTable(w, v));
      continue;
    }
    fileBaselines.push({ label: w.label, path: w.path, version: w.version, versionKind: w.versionKind, table: false, content: originalContent(w, v) });
  }
  const fileOps = v.footprint.filter((o) => !(o.kind === 'delta_table' && v.tables.has(o.path)));
  const outputs = [...(await judgeOutputs(fileBaselines, fileOps, v.sandboxRoot)), ...tableOutputs].sort((a, b) => (a.artifact < b.artifact ? -1 : 1));
  const verdict = stageVerdict(outputs);
  const environment = environmentDiff(v.then, v.now);
  return { verdict, summary: summaryOf(outputs, verdict, v.missingInputs.length), outputs, environment, missingInputs: v.missingInputs };
}

/** What the replayed run wrote, for value diffs: the store's copy, or the workspace's if it still holds that version. */
function originalContent(w: IoEntry, v: VerdictInput): Buffer | null {
  if (w.versionKind !== 'hash' || !DIFFABLE.test(w.label)) return null;
  const kept = v.store.read(w.version);
  if (kept) return kept.length <= BASELINE_MAX_BYTES ? kept : null;
  if (!w.path) return null;
  try {
    const abs = path.resolve(v.workspaceRoot, w.path);
    if (fs.statSync(abs).size > BASELINE_MAX_BYTES) return null;
    const buf = fs.readFileSync(abs);
    return sha256Text(buf) === w.version ? buf : null;
  } catch {
    return null;
  }
}

async function judgeTable(w: IoEntry, v: VerdictInput): Promise<OutputVerdictDto> {
  const written = v.footprint.find((o) => o.kind === 'delta_table' && o.path === w.path && o.op !== 'READ' && o.tableVersion !== undefined);
  const before = /^\d+$/.test(w.version) ? `v${w.version}` : short(w.version);
  const base = { artifact: w.label, kind: 'table' as const, before, changes: [], moreChanges: 0 };
  if (!written) return { ...base, verdict: 'not-written', after: null, note: 'The replay did not write it.' };
  const after = `v${written.tableVersion}`;
  if (!/^\d+$/.test(w.version)) return { ...base, verdict: 'differs', after, note: 'The replayed run recorded no table version to compare rows with.' };
  try {
    const [a, b] = await Promise.all([
      rowsOf(path.resolve(v.workspaceRoot, w.path!), Number(w.version)),
      rowsOf(path.resolve(v.sandboxRoot, w.path!), written.tableVersion!),
    ]);
    if (!a || !b) return { ...base, verdict: 'differs', after, note: `More than ${TABLE_ROWS_COMPARED} rows: compared by version only.` };
    const left = new Map<string, number>();
    for (const r of a) left.set(r, (left.get(r) ?? 0) + 1);
    let inserted = 0;
    for (const r of b) {
      const n = left.get(r) ?? 0;
      if (n > 0) left.set(r, n - 1);
      else inserted++;
    }
    const deleted = [...left.values()].reduce((s, n) => s + n, 0);
    const same = inserted === 0 && deleted === 0;
    return { ...base, verdict: same ? 'same-rows' : 'differs', after, rows: { inserted, updated: 0, deleted }, ...(same ? { note: `The same ${a.length} rows.` } : {}) };
  } catch (err) {
    return { ...base, verdict: 'differs', after, note: `Its rows could not be compared (${(err as Error).message}).` };
  }
}

/** Every row of a table version as canonical JSON (keys sorted), or null when there are too many. */
async function rowsOf(dir: string, version: number): Promise<string[] | null> {
  const page = await readTablePage(dir, { version, limit: TABLE_ROWS_COMPARED });
  if (page.hasMore) return null;
  return page.rows.map((r) => JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k]]), (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x instanceof Date ? x.toISOString() : x)));
}

function summaryOf(outputs: readonly OutputVerdictDto[], verdict: ReplayVerdictDto['verdict'], missing: number): string {
  const caveat = missing ? ` (${missing} ${missing === 1 ? 'input' : 'inputs'} could not be restored as read)` : '';
  const n = outputs.length;
  if (verdict === null) return `The replay wrote nothing to compare${caveat}.`;
  if (verdict === 'bit-for-bit') return `Reproduced bit-for-bit: ${n === 1 ? 'its output is' : `all ${n} outputs are`} identical${caveat}.`;
  if (verdict === 'reproduced') return `Reproduced: ${n === 1 ? 'its output holds' : `its ${n} outputs hold`} the same contents (tables the same rows)${caveat}.`;
  const off = outputs.filter((o) => o.verdict !== 'bit-for-bit' && o.verdict !== 'same-rows');
  return `Does not reproduce: ${off.slice(0, 2).map(describeDifference).join('; ')}${off.length > 2 ? ` and ${off.length - 2} more` : ''}${caveat}.`;
}

/** The environment then (as recorded) and now (as the replay ran). */
export function environmentDiff(then: RecordedEnvironment | null, now: EnvironmentFacet | null): EnvironmentDiffDto {
  const thenInterp = then?.interpreter ? `${then.interpreter} ${then.interpreterVersion ?? ''}`.trim() : null;
  const nowInterp = now?.interpreter ? `${now.interpreter.name} ${now.interpreter.version}` : null;
  const packages = then && now ? diffPackages(then.packages, now.packages, ecosystemOf(then.interpreter)) : [];
  const parts: string[] = [];
  if (thenInterp !== nowInterp) parts.push(`${thenInterp ?? 'interpreter not recorded'} → ${nowInterp ?? 'none found'}`);
  if (then?.os && now?.os && (then.os !== now.os || then.arch !== now.arch)) parts.push(`${then.os}/${then.arch} → ${now.os}/${now.arch}`);
  if (packages.length) parts.push(summarizeChanges(packages));
  return {
    then: { interpreter: thenInterp, os: then?.os ?? null, arch: then?.arch ?? null },
    now: { interpreter: nowInterp, os: now?.os ?? null, arch: now?.arch ?? null },
    packages,
    same: parts.length === 0,
    summary: parts.length ? parts.join('; ') : 'the same environment',
  };
}
