import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);

/**
 * Picks the SQLite driver by Node-API level, not by "is this Electron" (notes/electron.md §2.3):
 * better-sqlite3 13 is a Node-API 10 addon shipped prebuilt (Electron ≥ 35, Node ≥ 22.14);
 * on Node 20 (Node-API 9) it segfaults, so there we load better-sqlite3 12, built from source.
 */
export function loadSqlite(): typeof BetterSqlite3 {
  const napi = Number(process.versions.napi ?? 0);
  return napi >= 10
    ? (require('better-sqlite3-napi') as typeof BetterSqlite3)
    : (require('better-sqlite3') as typeof BetterSqlite3);
}
