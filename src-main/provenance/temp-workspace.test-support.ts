/**
 * Test-only helpers for the provenance tests: temporary workspaces and the real test data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type WritableDb, openDb } from '../db/open-db';
import { type WorkspacePaths, ensureWorkspace } from '../workspace/workspace-paths';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Read in place, never modified (CI clones the repo with `../shared` beside it, read-only). */
export const OPENLINEAGE_TESTDATA = path.resolve(REPO_ROOT, '../shared/testdata/openlineage');
export const FIXTURES = path.resolve(REPO_ROOT, 'test/fixtures/provenance');

export interface TempWorkspace {
  readonly paths: WorkspacePaths;
  readonly db: WritableDb;
  dispose(): void;
}

export function tempWorkspace(opts: { memory?: boolean } = {}): TempWorkspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-prov-'));
  const paths = ensureWorkspace(dir);
  const db = openDb(opts.memory ? ':memory:' : paths.dbFile);
  return {
    paths,
    db,
    dispose() {
      try {
        db.close();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Every row of every provenance table, in rowid order: "identical DB content". */
export function dumpProvenance(db: WritableDb, tables: readonly string[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    const order = t === 'prov_warnings' || t === 'environment_packages' ? '1, 2' : 'rowid';
    out[t] = db.prepare(`SELECT ${t === 'prov_search' ? 'rowid' : '*'} FROM ${t} ORDER BY ${order}`).raw().all();
  }
  // The contentless search table shows only rowids; compare its logical content (every token
  // instance), not its index blobs, whose layout depends on how the commits were batched.
  db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.prov_search_terms USING fts5vocab(main, prov_search, instance)');
  out.prov_search_terms = db.prepare('SELECT term, doc, col, offset FROM temp.prov_search_terms ORDER BY doc, col, offset').raw().all();
  return out;
}

export function count(db: WritableDb, table: string): number {
  return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}
