/**
 * Which files a pass reads: everything under `.retrace/logs/`, the `logSources` of
 * config.json and the PATHs given on the command line (files, folders, globs), in path order
 * so that a rebuild replays them exactly as the first ingest did.
 */
import fs from 'node:fs';
import path from 'node:path';
import { globBase, globToRegExp, isGlob } from '../../shared/glob';

export interface SourceSpec {
  readonly path: string;
  /** `document`: a whole JSON file (one event, or an array of events); `lines`: JSON lines. */
  readonly format: 'lines' | 'document';
}

/** File names a folder source contributes (a folder may also hold READMEs, schemas, …). */
const LOG_FILE_RE = /\.(jsonl|ndjson|json|log)$/i;

export function formatOf(file: string): SourceSpec['format'] {
  return /\.json$/i.test(file) ? 'document' : 'lines';
}

export function discoverSources(specs: readonly string[], baseDir: string): SourceSpec[] {
  const found = new Set<string>();
  for (const spec of specs) {
    const abs = path.resolve(baseDir, spec);
    if (isGlob(spec)) {
      expandGlob(abs, found);
      continue;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      continue; // a configured source that does not exist yet is simply empty
    }
    if (st.isDirectory()) walk(abs, found);
    else if (st.isFile()) found.add(abs);
  }
  return [...found].sort().map((p) => ({ path: p, format: formatOf(p) }));
}

function walk(dir: string, out: Set<string>): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    // Temp files of atomic writers (`.x.json.tmp`, `~`) are not events yet.
    if (e.name.startsWith('.') || e.name.endsWith('~') || e.name.endsWith('.tmp')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && LOG_FILE_RE.test(e.name)) out.add(p);
  }
}

function expandGlob(absGlob: string, out: Set<string>): void {
  const norm = absGlob.split(path.sep).join('/');
  const base = globBase(norm) || '/';
  const re = globToRegExp(norm);
  const all = new Set<string>();
  walkAll(base, all);
  for (const p of all) if (re.test(p.split(path.sep).join('/'))) out.add(p);
}

function walkAll(dir: string, out: Set<string>): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walkAll(p, out);
    else if (e.isFile()) out.add(p);
  }
}
