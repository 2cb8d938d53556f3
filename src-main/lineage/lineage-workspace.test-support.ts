/**
 * Test-only helpers for the lineage tests: small OpenLineage / Hopsworks logs written into a
 * temporary workspace and ingested with the real `ingestOnce`, so the engine is tested on the
 * rows ingestion really produces.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type WritableDb, openDb } from '../db/open-db';
import { ingestOnce } from '../provenance/ingest';
import { type WorkspacePaths, ensureWorkspace } from '../workspace/workspace-paths';
import { LineageEngine } from './read-models/lineage-engine';

export const LINEAGE_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/lineage');

export const RUN = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

export interface FootprintOpSpec {
  readonly path: string;
  readonly op: 'READ' | 'CREATE' | 'MODIFY' | 'DELETE' | 'RENAME';
  readonly hashAfter?: string;
  readonly renamedFrom?: string;
}

export interface StageSpec {
  readonly run: string;
  readonly job: string;
  readonly ops?: readonly FootprintOpSpec[];
  readonly state?: 'COMPLETE' | 'FAIL' | 'ABORT' | null;
  /** Minutes after 2026-01-01T10:00Z of the START; the end is one minute later. */
  readonly at: number;
  readonly user?: string;
  readonly gitSha?: string;
  readonly numpy?: string;
  readonly parent?: { run: string; job: string };
  readonly inputs?: readonly string[];
  readonly outputs?: readonly string[];
  /** The `retrace_code` job facet: code files with their hashes, and the uncommitted diff's hash. */
  readonly code?: { readonly files?: readonly { path: string; hash: string }[]; readonly dirtyDiffHash?: string };
  /** Recorded as the `retrace_command` run facet on the ending (argv `python <job>.py`). */
  readonly exitCode?: number;
}

const T0 = Date.UTC(2026, 0, 1, 10, 0, 0);
export const minute = (m: number): string => new Date(T0 + m * 60_000).toISOString();

/** One stage as OpenLineage START (+ COMPLETE/FAIL) lines, with Retrace's footprint facet on the ending. */
export function stageLines(s: StageSpec): string[] {
  const base = { producer: 'https://github.com/retrace/retrace/0.1.0', schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent' };
  const jobFacets: Record<string, unknown> = s.gitSha ? { sourceCodeLocation: { _producer: 'p', _schemaURL: 's', type: 'git', url: 'https://example.com/r.git', version: s.gitSha } } : {};
  if (s.code) jobFacets.retrace_code = { _producer: 'p', _schemaURL: 's', files: s.code.files ?? [], ...(s.code.dirtyDiffHash ? { dirtyDiffHash: s.code.dirtyDiffHash } : {}) };
  const startFacets: Record<string, unknown> = {};
  if (s.user || s.numpy) {
    startFacets.retrace_environment = { _producer: 'p', _schemaURL: 's', user: s.user ?? 'alice', host: 'h1', os: 'linux', arch: 'x64',
      interpreter: { name: 'python', version: '3.12.1' }, packages: s.numpy ? [{ name: 'numpy', version: s.numpy }] : [] };
  }
  if (s.parent) startFacets.parent = { _producer: 'p', _schemaURL: 's', run: { runId: s.parent.run }, job: { namespace: 'ns', name: s.parent.job } };
  const ds = (names: readonly string[] | undefined) => (names ?? []).map((n) => ({ namespace: 'file', name: n }));
  const lines = [JSON.stringify({
    ...base, eventType: 'START', eventTime: minute(s.at), run: { runId: s.run, facets: startFacets },
    job: { namespace: 'ns', name: s.job, facets: jobFacets }, inputs: ds(s.inputs), outputs: [],
  })];
  if (s.state !== null) {
    const ops = (s.ops ?? []).map((o) => ({ ...o, at: minute(s.at + 0.5) }));
    lines.push(JSON.stringify({
      ...base, eventType: s.state ?? 'COMPLETE', eventTime: minute(s.at + 1),
      run: { runId: s.run, facets: { retrace_footprint: { _producer: 'p', _schemaURL: 's', ops },
        ...(s.exitCode !== undefined ? { retrace_command: { _producer: 'p', _schemaURL: 's', argv: ['python', `${s.job}.py`], cwd: '.', exitCode: s.exitCode } } : {}) } },
      job: { namespace: 'ns', name: s.job }, inputs: [], outputs: ds(s.outputs),
    }));
  }
  return lines;
}

/** One OpenLineage run event with Retrace's footprint facet (ops at the event's time): a run reporting its footprint op by op on RUNNING events, as `retrace run` does. */
export function runEventLine(run: string, job: string, eventType: 'START' | 'RUNNING' | 'COMPLETE', at: number, ops: readonly FootprintOpSpec[] = []): string {
  return JSON.stringify({
    producer: 'https://github.com/retrace/retrace/0.1.0',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    eventType, eventTime: minute(at),
    run: { runId: run, facets: ops.length ? { retrace_footprint: { _producer: 'p', _schemaURL: 's', ops: ops.map((o) => ({ ...o, at: minute(at) })) } } : {} },
    job: { namespace: 'ns', name: job }, inputs: [], outputs: [],
  });
}

export interface LineageWorkspace {
  readonly paths: WorkspacePaths;
  readonly db: WritableDb;
  readonly engine: LineageEngine;
  /** Appends lines to the workspace log and ingests them (the engine catches up on its next query). */
  append(lines: readonly string[]): void;
  dispose(): void;
}

/** A temporary workspace whose log holds `lines`, ingested, with an engine over it. */
export function lineageWorkspace(lines: readonly string[], opts: { indexFile?: boolean; extraPaths?: string[] } = {}): LineageWorkspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-lineage-'));
  const paths = ensureWorkspace(dir);
  const log = path.join(paths.logsDir, 'events.jsonl');
  fs.writeFileSync(log, lines.map((l) => l + '\n').join(''));
  const db = openDb(paths.dbFile);
  const report = ingestOnce({ paths, db, ...(opts.extraPaths ? { extraPaths: opts.extraPaths } : {}) });
  if (report.rejected.length) throw new Error(`test log rejected: ${JSON.stringify(report.rejected)}`);
  const engine = LineageEngine.open(db, { workspaceRoot: paths.root, ...(opts.indexFile ? { indexFile: path.join(paths.dotDir, 'lineage-index.bin') } : {}) });
  return {
    paths, db, engine,
    append(more) {
      fs.appendFileSync(log, more.map((l) => l + '\n').join(''));
      ingestOnce({ paths, db });
    },
    dispose() {
      try {
        db.close();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
