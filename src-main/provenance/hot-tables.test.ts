import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDb } from '../db/open-db';
import { BULK_ROWS, type Columns, RowBuffer, type TableDecl } from '../db/row-writer';
import { HOT_TABLES, SEARCH_DOCS } from './hot-tables';

/**
 * A row with a distinct value in every column (`k` varies it), or — `nulls` — with NULL in
 * every nullable one. Values are made from the column's declared type, never from the writer.
 */
function sampleRow(decl: TableDecl, k: number, nulls: boolean): Record<string, number | string | null> {
  const row: Record<string, number | string | null> = {};
  decl.names.forEach((name, i) => {
    const type = decl.columns[name]!;
    if (nulls && type.endsWith('?')) row[name] = null;
    else row[name] = type.startsWith('int') ? 1000 * k + i + 1 : `${name.replace(/_/g, '')}${k}x${i}`;
  });
  return row;
}

const SQL_TYPE = { int: 'INTEGER', text: 'TEXT' } as const;
/** The declarations without their column types (each test goes over all of them alike). */
const TABLES = HOT_TABLES as unknown as readonly TableDecl<Columns>[];
const SEARCH = SEARCH_DOCS as unknown as TableDecl<Columns>;

test('each hot table is declared exactly as the schema defines it: names, order, types, NULL', () => {
  const db = openDb(':memory:');
  try {
    for (const decl of TABLES) {
      const info = db.prepare(`PRAGMA table_info(${decl.table})`).all() as { name: string; type: string; notnull: number }[];
      if (decl === SEARCH) {
        // FTS5 columns are untyped; the first declared column is the rowid.
        assert.deepEqual(info.map((c) => c.name), decl.names.slice(1), decl.table);
        continue;
      }
      assert.deepEqual(info.map((c) => c.name), [...decl.names], `${decl.table}: columns and their order`);
      for (const c of info) {
        const type = decl.columns[c.name]!;
        assert.equal(c.type, SQL_TYPE[type.startsWith('int') ? 'int' : 'text'], `${decl.table}.${c.name} type`);
        // INTEGER PRIMARY KEY is NOT NULL by nature although PRAGMA reports notnull 0.
        const pk = c.name === decl.names[0];
        assert.equal(type.endsWith('?'), !pk && c.notnull === 0, `${decl.table}.${c.name} nullability`);
      }
    }
  } finally {
    db.close();
  }
});

test('every column of every hot table round-trips through its writer', () => {
  const db = openDb(':memory:');
  try {
    for (const decl of TABLES) {
      const buf = new RowBuffer(decl);
      const rows = [sampleRow(decl, 1, false), sampleRow(decl, 2, true)];
      for (const r of rows) buf.add(r as never);
      assert.equal(buf.count, 2);
      db.transaction(() => buf.flush(db))();
      assert.equal(buf.count, 0, 'a flush empties the buffer');
      if (decl === SEARCH) {
        // Contentless: the text is not stored, but every column's words find their document.
        for (const r of rows) {
          for (const name of decl.names.slice(1)) {
            const hits = db.prepare(`SELECT rowid FROM prov_search WHERE prov_search MATCH ?`).pluck().all(`${name}:${String(r[name])}`);
            assert.deepEqual(hits, [r.doc], `prov_search.${name}`);
          }
        }
        continue;
      }
      const back = db.prepare(`SELECT ${decl.names.join(', ')} FROM ${decl.table} ORDER BY rowid`).all();
      assert.deepEqual(back, rows, decl.table);
    }
  } finally {
    db.close();
  }
});

test('bulk tables write full multi-row statements and the remainder; a queued value can be changed', () => {
  const db = openDb(':memory:');
  try {
    for (const decl of TABLES.filter((d) => d.bulk)) {
      const buf = new RowBuffer(decl, 16); // small, so the buffer grows too
      const n = 2 * BULK_ROWS + 3;
      for (let k = 1; k <= n; k++) buf.add(sampleRow(decl, k, k % 2 === 0) as never);
      const last = decl.names.at(-1)!;
      const changed = decl.columns[last]!.startsWith('int') ? 424242 : 'changed';
      buf.set(n - 1, last as never, changed as never);
      assert.equal(buf.get(n - 1, last as never), changed);
      db.transaction(() => buf.flush(db))();
      assert.equal(db.prepare(`SELECT count(*) FROM ${decl.table}`).pluck().get(), n, decl.table);
      const tail = db.prepare(`SELECT ${decl.names.join(', ')} FROM ${decl.table} ORDER BY rowid DESC LIMIT 1`).get();
      assert.deepEqual(tail, { ...sampleRow(decl, n, n % 2 === 0), [last]: changed }, decl.table);
    }
  } finally {
    db.close();
  }
});
