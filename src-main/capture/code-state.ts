import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sha256Text } from './hashing';

/**
 * The code a run came from: the git state of the workspace (job facet `sourceCodeLocation`)
 * and the code files it executed or read (job facet `retrace_code`). Git is asked read-only;
 * a workspace that is not a repository simply has no git state.
 */
export interface GitState {
  sha: string;
  branch: string | null;
  dirty: boolean;
  /** Hash of `git diff HEAD` when dirty: two runs on the same sha with different edits differ here. */
  dirtyDiffHash: string | null;
  repoUrl: string | null;
  /** Repository top level, to make the script path repo-relative. */
  topLevel: string;
  /**
   * Where the repository is when it has no remote: relative to the workspace, so the URL stays
   * true when the workspace folder moves (the demo is built aside and renamed into place).
   */
  localUrl: string;
}

function git(cwd: string, args: string[]): string | null {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', timeout: 15_000, maxBuffer: 256 * 1024 * 1024 });
  return r.status === 0 ? r.stdout : null;
}

/** The folder holding `.git` (a folder, or a file in worktrees and submodules), upward from `dir`. */
function gitTopLevel(dir: string): string | null {
  let d = path.resolve(dir);
  for (;;) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    const parent = path.dirname(d);
    if (parent === d) return null;
    d = parent;
  }
}

/**
 * Two git calls for a clean repository (status with branch headers, the remote), a third for
 * the diff when dirty; none outside a repository. It runs before every `retrace run`.
 */
export function readGitState(dir: string): GitState | null {
  const top = gitTopLevel(dir);
  if (!top) return null;
  const status = git(dir, ['status', '--porcelain=v2', '--branch', '--untracked-files=no']);
  if (status === null) return null;
  let sha: string | null = null;
  let branch: string | null = null;
  let dirty = false;
  for (const line of status.split('\n')) {
    if (line.startsWith('# branch.oid ')) sha = line.slice('# branch.oid '.length).trim();
    else if (line.startsWith('# branch.head ')) branch = line.slice('# branch.head '.length).trim();
    else if (line && !line.startsWith('#')) dirty = true;
  }
  if (!sha || !/^[0-9a-f]{40,64}$/.test(sha)) return null;
  const topLevel = fs.realpathSync(top);
  const diff = dirty ? git(dir, ['diff', 'HEAD', '--binary']) : null;
  const repoUrl = git(dir, ['config', '--get', 'remote.origin.url'])?.trim() || null;
  const localUrl = `file:${path.relative(fs.realpathSync(dir), topLevel) || '.'}`;
  return { sha, branch: branch === '(detached)' ? null : branch, dirty, dirtyDiffHash: diff !== null ? sha256Text(diff) : null, repoUrl, topLevel, localUrl };
}

/** Extensions of files that count as code rather than data. */
export const CODE_EXTENSIONS = ['.py', '.ipynb', '.sh', '.bash', '.R', '.r', '.js', '.mjs', '.cjs', '.ts', '.sql'];

export function isCodeFile(p: string): boolean {
  return CODE_EXTENSIONS.includes(path.extname(p));
}

/** The script a command runs (`python train.py`, `bash x.sh`, `node a.js`, `./x.sh`), absolute. */
export function scriptFromArgv(argv: readonly string[], cwd: string): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (i > 0 && a.startsWith('-')) {
      // `python -m module` names no file; `-c` code is inline.
      if (a === '-m' || a === '-c' || a === '-e') return null;
      continue;
    }
    if (isCodeFile(a)) return path.resolve(cwd, a);
  }
  return null;
}
