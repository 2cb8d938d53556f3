/**
 * The explorer's fixture workspace: seven stage runs as real OpenLineage log lines (Retrace
 * footprint, environment, code and command facets), small enough that every answer of the
 * explorer's API methods (insights, snapshot compare, impact both ways, catalogue, staleness
 * sentences, run timing) can be worked out by hand in the tests that use it.
 *
 *   snapshot  run   job       user   minutes  what it did
 *   1         R1    ingest    alice  0–1      CREATE data/raw.csv (RAW1), CREATE notes/readme.txt   exit 0
 *   2         R2    features  bob    2–3      READ raw (RAW1), CREATE data/feat.parquet (FEAT1)
 *   3         R3    train     alice  4–5      READ feat (FEAT1), CREATE models/m.pt (M1)          code t1 (train.py = C1)
 *   4         R4    ingest    alice  6–7      MODIFY raw (RAW2), CREATE data/extra.csv (X1)
 *   5         R5    report    carol  8–9      READ raw (RAW2), FAIL                               exit 2
 *   6         R6    features  bob    10–11    READ raw (RAW2), MODIFY feat (FEAT2), DELETE notes/readme.txt
 *   7         R7    train     alice  12–13    FAIL, no output                                     code t1 (train.py = C2), numpy 2.1.0
 *
 * Minutes count from 2026-01-01T10:00Z; each run ends one minute after it starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RUN, stageLines } from '../src-main/lineage/lineage-workspace.test-support';
import type { StageSpec } from '../src-main/lineage/lineage-workspace.test-support';
import { ingestOnce } from '../src-main/provenance/ingest';
import type { WorkspacePaths } from '../src-main/workspace/workspace-paths';
import type { WritableDb } from '../src-main/db/open-db';

export { RUN, minute } from '../src-main/lineage/lineage-workspace.test-support';

const h = (c: string) => `sha256:${c.repeat(64)}`;
/** Content hashes of the versions (one hex digit repeated). */
export const H = { RAW1: h('1'), RAW2: h('2'), FEAT1: h('3'), FEAT2: h('4'), M1: h('5'), X1: h('6'), README: h('7') } as const;
/** Two hashes of train.py that agree on their first 12 characters: short forms must not hide the change. */
export const C1 = `sha256:${'ab'.repeat(6)}${'0'.repeat(52)}`;
export const C2 = `sha256:${'ab'.repeat(6)}${'f'.repeat(52)}`;

const op = (p: string, o: 'READ' | 'CREATE' | 'MODIFY' | 'DELETE', hash?: string) => ({ path: p, op: o, ...(hash ? { hashAfter: hash } : {}) });

export const EXPLORE_STAGES: StageSpec[] = [
  { run: RUN(1), job: 'ingest', at: 0, user: 'alice', numpy: '1.26.4', exitCode: 0, ops: [op('data/raw.csv', 'CREATE', H.RAW1), op('notes/readme.txt', 'CREATE', H.README)] },
  { run: RUN(2), job: 'features', at: 2, user: 'bob', ops: [op('data/raw.csv', 'READ', H.RAW1), op('data/feat.parquet', 'CREATE', H.FEAT1)] },
  { run: RUN(3), job: 'train', at: 4, user: 'alice', gitSha: 't1', code: { files: [{ path: 'train.py', hash: C1 }] },
    ops: [op('data/feat.parquet', 'READ', H.FEAT1), op('models/m.pt', 'CREATE', H.M1)] },
  { run: RUN(4), job: 'ingest', at: 6, user: 'alice', numpy: '1.26.4', ops: [op('data/raw.csv', 'MODIFY', H.RAW2), op('data/extra.csv', 'CREATE', H.X1)] },
  { run: RUN(5), job: 'report', at: 8, user: 'carol', state: 'FAIL', exitCode: 2, ops: [op('data/raw.csv', 'READ', H.RAW2)] },
  { run: RUN(6), job: 'features', at: 10, user: 'bob', ops: [op('data/raw.csv', 'READ', H.RAW2), op('data/feat.parquet', 'MODIFY', H.FEAT2), op('notes/readme.txt', 'DELETE')] },
  { run: RUN(7), job: 'train', at: 12, user: 'alice', numpy: '2.1.0', state: 'FAIL', gitSha: 't1', code: { files: [{ path: 'train.py', hash: C2 }] } },
];

export const EXPLORE_LINES: readonly string[] = EXPLORE_STAGES.flatMap(stageLines);

/** Writes the fixture log into a workspace and ingests it (nothing may be rejected). */
export function ingestExplore(paths: WorkspacePaths, db: WritableDb, lines: readonly string[] = EXPLORE_LINES): void {
  fs.writeFileSync(path.join(paths.logsDir, 'explore.jsonl'), lines.map((l) => l + '\n').join(''));
  const report = ingestOnce({ paths, db });
  if (report.rejected.length) throw new Error(`fixture lines rejected: ${JSON.stringify(report.rejected)}`);
}
