import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { canonicalPath, commitFileName, listLog, logDir, parseCommitText } from './delta-log';

/**
 * Which files an unfinished write has put into a table, so none is left behind (issue 16): data
 * files are written before the commit that references them, so a write that fails or is killed
 * in between would leave orphans. Each write keeps a journal in `<table>/.retrace-pending/` (a
 * hidden folder: other engines ignore it) naming every file *before* it is created. A write that
 * fails removes its files itself; one that was killed is cleaned up by the next write or vacuum,
 * which removes the files of journals whose process is gone, unless a commit references them
 * (the process may have died after committing and before deleting its journal).
 */
export const PENDING_DIR = '.retrace-pending';
const STALE_MS = 24 * 3_600_000;

export interface WriteJournal {
  /** Notes a table-relative path before the file is created. */
  record(relPath: string): void;
  /** The write committed: its files are the table's now. */
  committed(): void;
  /** The write failed or was abandoned: remove what it wrote. */
  abandon(): void;
}

interface JournalHeader { readonly pid: number; readonly host: string; readonly started: number; readonly readVersion: number }

const open = new Set<{ abandon(): void }>();

export function openWriteJournal(tableDir: string, readVersion: number): WriteJournal {
  const dir = path.join(tableDir, PENDING_DIR);
  const file = path.join(dir, `${randomUUID()}.jsonl`);
  const paths: string[] = [];
  let created = false;
  const close = (): void => {
    open.delete(journal);
    fs.rmSync(file, { force: true });
    try { fs.rmdirSync(dir); } catch { /* other writes still pending */ }
  };
  const journal: WriteJournal = {
    record(relPath) {
      if (!created) {
        const header: JournalHeader = { pid: process.pid, host: os.hostname(), started: Date.now(), readVersion };
        // Another write may remove the (empty) folder — or a writer that lost the race to create
        // the table its folders — between our mkdir and our write: try again.
        for (let attempt = 0; ; attempt++) {
          try {
            fs.mkdirSync(dir, { recursive: true });
            // Written aside and renamed, so a reader never sees a journal without its header.
            fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(header)}\n`, { flag: 'wx' });
            fs.renameSync(`${file}.tmp`, file);
            break;
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 20) throw err;
          }
        }
        created = true;
      }
      fs.appendFileSync(file, `${JSON.stringify(relPath)}\n`);
      paths.push(relPath);
    },
    committed() {
      if (created) close();
      else open.delete(journal);
    },
    abandon() {
      for (const p of paths) removeWithTemps(tableDir, p);
      if (created) close();
      else open.delete(journal);
    },
  };
  open.add(journal);
  return journal;
}

/** Removes the files of every write still open in this process (a signal handler's last act). */
export function abandonOpenWrites(): void {
  for (const j of [...open]) j.abandon();
}

function removeWithTemps(tableDir: string, rel: string): void {
  const target = path.join(tableDir, rel);
  fs.rmSync(target, { force: true });
  // writeDataFile writes `.<name>.<uuid>.tmp` first and renames it.
  const folder = path.dirname(target), prefix = `.${path.basename(target)}.`;
  try {
    for (const n of fs.readdirSync(folder)) if (n.startsWith(prefix) && n.endsWith('.tmp')) fs.rmSync(path.join(folder, n), { force: true });
  } catch { /* the folder is gone */ }
}

function processIsGone(h: JournalHeader): boolean {
  if (h.host !== os.hostname()) return Date.now() - h.started > STALE_MS;
  if (h.pid === process.pid) return false;
  try {
    process.kill(h.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Paths (canonical) that commits after `readVersion` added: those files belong to the table. */
function committedAfter(tableDir: string, readVersion: number): Set<string> {
  const out = new Set<string>();
  let latest: number;
  try { latest = listLog(tableDir).latest; } catch { return out; }
  for (let v = readVersion + 1; v <= latest; v++) {
    let text: string;
    try { text = fs.readFileSync(path.join(logDir(tableDir), commitFileName(v)), 'utf8'); } catch { continue; }
    try {
      for (const a of parseCommitText(text, commitFileName(v))) {
        if (a.add) out.add(canonicalPath(a.add.path));
        if (a.cdc) out.add(canonicalPath(a.cdc.path));
      }
    } catch { /* a damaged commit is the reader's business */ }
  }
  return out;
}

/** Cleans up after writes that were killed; returns the table-relative paths it removed. */
export function recoverAbandonedWrites(tableDir: string): string[] {
  const dir = path.join(tableDir, PENDING_DIR);
  let names: string[];
  try { names = fs.readdirSync(dir).filter((n) => n.endsWith('.jsonl')); } catch { return []; }
  const removed: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let lines: string[];
    try { lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean); } catch { continue; }
    let header: JournalHeader;
    try { header = JSON.parse(lines[0]!) as JournalHeader; } catch { continue; } // not ours to judge
    if (!processIsGone(header)) continue;
    const kept = committedAfter(tableDir, header.readVersion);
    for (const line of lines.slice(1)) {
      let rel: string;
      try { rel = JSON.parse(line) as string; } catch { continue; } // the last line may be torn
      const dataFile = rel.startsWith('_retrace_index/') ? rel.slice('_retrace_index/'.length).replace(/\.json$/, '') : null;
      const committed = kept.has(rel) || (dataFile !== null && [...kept].some((k) => path.basename(k) === dataFile));
      if (committed) continue;
      removeWithTemps(tableDir, rel);
      removed.push(rel);
    }
    fs.rmSync(file, { force: true });
  }
  try { fs.rmdirSync(dir); } catch { /* journals of live writes remain */ }
  return removed;
}
