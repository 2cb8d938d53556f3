import fs from 'node:fs';
import path from 'node:path';

/**
 * Damage a checkpoint hides (issue 16): a commit file that is missing from the middle of the log
 * or no longer parses is never read when a newer checkpoint covers it, so a reader would go
 * past it silently. The reader still answers, but says the log is damaged. Parsing every old
 * commit once per table is cheap next to a data read, and the result is cached per file (size
 * and mtime: commits are immutable, so a change means someone touched the log).
 */
interface Checked { readonly size: number; readonly mtimeMs: number; readonly problem: string | null }
const cache = new Map<string, Checked>();

/** Why a commit file cannot be parsed, or null when every line is JSON. */
export function commitFileProblem(file: string): string | null {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return 'it is missing';
  }
  const hit = cache.get(file);
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.problem;
  let problem: string | null = null;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length && problem === null; i++) {
    if (lines[i]!.trim() === '') continue;
    try {
      const v = JSON.parse(lines[i]!) as unknown;
      if (!v || typeof v !== 'object' || Array.isArray(v)) problem = `line ${i + 1} is not an action`;
    } catch {
      problem = `line ${i + 1} is not JSON`;
    }
  }
  cache.set(file, { size: st.size, mtimeMs: st.mtimeMs, problem });
  return problem;
}

/** Versions between the oldest and the newest commit file that have no commit file. */
export function missingVersions(commits: ReadonlyMap<number, string>, upTo: number): number[] {
  const versions = [...commits.keys()].filter((v) => v <= upTo);
  if (versions.length === 0) return [];
  const lo = Math.min(...versions), hi = Math.max(...versions);
  const out: number[] = [];
  for (let v = lo; v <= hi; v++) if (!commits.has(v)) out.push(v);
  return out;
}

/**
 * Warnings for the commits a checkpoint at `checkpoint` covers, when reading `version`: each
 * missing or unparsable commit file before the checkpoint, named.
 */
export function coveredDamage(logDir: string, commits: ReadonlyMap<number, string>, checkpoint: number, version: number, fileName: (v: number) => string): string[] {
  if (checkpoint < 0) return [];
  const warnings: string[] = [];
  const still = `version ${version} is still readable from the checkpoint at version ${checkpoint}`;
  for (const v of missingVersions(commits, checkpoint)) warnings.push(`Commit file ${path.join(logDir, fileName(v))} is missing; ${still}.`);
  for (const [v, name] of commits) {
    if (v > checkpoint) continue;
    const problem = commitFileProblem(path.join(logDir, name));
    if (problem) warnings.push(`Commit file ${path.join(logDir, name)} is damaged (${problem}); ${still}.`);
  }
  return warnings;
}
