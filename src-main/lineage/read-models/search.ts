/**
 * Full-text search over artifacts, runs, jobs, users and tags (the `prov_search` FTS5 table
 * ingestion maintains). Every word is a prefix match; `field:value` restricts a word to one
 * column. bm25 ranking is only used when the hit set is small, because ranking a common token
 * costs hundreds of ms where an unranked top-N costs under one (notes/performance.md §1.4).
 */
import type { NodeKind } from '../../../shared/dto';
import { AppError } from '../../../shared/errors';
import type { ReadableDb } from '../../db/open-db';
import { shortRunId } from '../index-engine/catalog';
import type { SearchDto, SearchResultDto } from '../../../shared/lineage-dto';

const COLUMNS = ['name', 'path', 'job', 'command', 'user', 'tags', 'facets'] as const;
/** Rank only below this many hits. */
export const RANK_LIMIT = 10_000;
/** Column weights for bm25 (name, path, job, command, user, tags, facets): a name hit counts most. */
const BM25 = 'bm25(prov_search, 10.0, 5.0, 4.0, 1.0, 3.0, 3.0, 0.5)';

export interface SearchOptions {
  /** Results to return (default 50). */
  readonly limit?: number;
  /** false = never rank (the fastest form). */
  readonly rank?: boolean;
}

/** The FTS5 MATCH expression for a user query: each word a quoted prefix, words ANDed. */
export function ftsQuery(text: string): string {
  const terms: string[] = [];
  for (const word of text.trim().split(/\s+/)) {
    if (word === '') continue;
    const m = /^([a-z]+):(.+)$/i.exec(word);
    const col = m && (COLUMNS as readonly string[]).includes(m[1]!.toLowerCase()) ? m[1]!.toLowerCase() : null;
    const value = col ? m![2]! : word;
    // Only letters and digits make tokens (unicode61); punctuation splits them, as in a phrase.
    if (!/[\p{L}\p{N}]/u.test(value)) continue;
    const phrase = `"${value.replace(/"/g, '""')}"*`;
    terms.push(col ? `${col} : ${phrase}` : phrase);
  }
  return terms.join(' ');
}

export function search(db: ReadableDb, text: string, opts: SearchOptions = {}): SearchDto {
  const limit = Math.max(1, Math.min(1000, Math.floor(opts.limit ?? 50)));
  const match = ftsQuery(text);
  if (match === '') throw new AppError('INVALID_ARGUMENT', `Search "${text}" has no words to look for; give a name, path, user or tag.`);
  let rows: [number, number][];
  let ranked = false;
  try {
    // Counting is bounded (LIMIT) and skipped when ranking is off: it is the unranked path's only extra cost.
    ranked = opts.rank !== false
      && (stmt(db, 'SELECT count(*) FROM (SELECT 1 FROM prov_search WHERE prov_search MATCH ? LIMIT ?)').pluck().get(match, RANK_LIMIT + 1) as number) <= RANK_LIMIT;
    const sql = ranked
      ? `SELECT rowid, -${BM25} FROM prov_search WHERE prov_search MATCH ? ORDER BY ${BM25} LIMIT ?`
      : 'SELECT rowid, 0 FROM prov_search WHERE prov_search MATCH ? LIMIT ?';
    // Ranked: over-fetch so the exact-name boost below can lift a hit bm25 placed lower.
    rows = stmt(db, sql).raw().all(match, ranked ? Math.min(1000, limit * 4) : limit) as typeof rows;
  } catch (err) {
    throw new AppError('INVALID_ARGUMENT', `Search "${text}" could not be understood (${(err as Error).message}).`);
  }
  // The index is contentless: rowid = entity id * 4 + kind (1 run, 2 artifact, 3 job); names come from the entity tables.
  const runQ = stmt(db, 'SELECT r.run_uuid, j.name FROM runs r LEFT JOIN jobs j ON j.id = r.job_id WHERE r.id = ?').raw();
  const artQ = stmt(db, 'SELECT namespace, name, path, kind FROM artifacts WHERE id = ?').raw();
  const jobQ = stmt(db, 'SELECT namespace, name FROM jobs WHERE id = ?').raw();
  const results: SearchResultDto[] = [];
  for (const [rowid, score] of rows) {
    const type = rowid % 4;
    const id = (rowid - type) / 4;
    if (type === 1) {
      const r = runQ.get(id) as [string, string | null] | undefined;
      if (r) results.push({ kind: 'run', id: `run:${r[0]}`, label: `${r[1] ?? 'run'} ${shortRunId(r[0])}`, score });
    } else if (type === 2) {
      const a = artQ.get(id) as [string, string, string | null, string] | undefined;
      if (a) results.push({ kind: a[3] as NodeKind, id: `artifact:${a[0]}/${a[1]}`, label: a[2] ?? `${a[0]}/${a[1]}`, score });
    } else if (type === 3) {
      const j = jobQ.get(id) as [string, string] | undefined;
      if (j) results.push({ kind: 'job', id: `job:${j[0]}/${j[1]}`, label: j[1], score });
    }
  }
  if (ranked) boostExactNames(results, text);
  return { results: [...usersMatching(db, text), ...results].slice(0, limit), ranked };
}

/**
 * bm25 favours long documents full of matching tokens (every `train.csv` under a training-set
 * folder); a person typing "train" most likely means the thing *named* train. Exact names
 * (or last path segments) first, then whole things before files inside them; bm25 breaks ties.
 */
function boostExactNames(results: SearchResultDto[], text: string): void {
  const q = text.trim().toLowerCase();
  const exact = (r: SearchResultDto) => {
    const last = r.label.split(/[/ ]/).filter(Boolean).pop()?.toLowerCase() ?? '';
    return last === q || last.replace(/\.[^.]+$/, '') === q || r.label.toLowerCase() === q;
  };
  const tier = (r: SearchResultDto) => (exact(r) ? 0 : 2) + (r.kind === 'file' || r.kind === 'run' ? 1 : 0);
  results.sort((a, b) => tier(a) - tier(b) || b.score - a.score);
}

/** Users whose name starts with the (single-word) query, as their own results, most runs first. */
function usersMatching(db: ReadableDb, text: string): SearchResultDto[] {
  const word = text.trim();
  if (!/^[\p{L}\p{N}._-]+$/u.test(word)) return [];
  // A sample of matching runs is enough to name the users (the FTS user column holds "user host").
  const rows = stmt(db, `SELECT r.user, count(*) FROM runs r WHERE r.id IN (
      SELECT (rowid - 1) / 4 FROM prov_search WHERE prov_search MATCH ? AND rowid % 4 = 1 LIMIT 200)
    GROUP BY r.user`).raw().all(`user : "${word.replace(/"/g, '""')}"*`) as [string | null, number][];
  return rows.filter((r): r is [string, number] => r[0] !== null && r[0].toLowerCase().startsWith(word.toLowerCase()))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([u, n]) => ({ kind: 'user' as const, id: `user:${u}`, label: u, score: n }));
}

/** Statements per connection, compiled once (a prepare costs more than a top-50 query). */
const cache = new WeakMap<ReadableDb, Map<string, ReturnType<ReadableDb['prepare']>>>();
function stmt(db: ReadableDb, sql: string): ReturnType<ReadableDb['prepare']> {
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = db.prepare(sql)));
  return st;
}
