import os from 'node:os';
import path from 'node:path';
import { globToRegExp } from '../../shared/glob';

/**
 * Which traced paths are noise: the system, interpreters and their packages, caches, and
 * Retrace's own folder. A run's footprint should show the user's data and code, not the 400
 * stdlib modules Python imports on start. Users add globs in `.retrace/config.json`
 * (`{"capture": {"ignore": ["data/scratch/**", "**\/*.{tmp,log}"]}}`, the one glob dialect of
 * shared/glob.ts); globs match the absolute path and the workspace-relative path.
 */
export const DEFAULT_IGNORED_PREFIXES = [
  '/usr/', '/lib/', '/lib32/', '/lib64/', '/libx32/', '/bin/', '/sbin/', '/etc/',
  '/proc/', '/sys/', '/dev/', '/run/', '/var/cache/', '/var/lib/', '/snap/', '/nix/store/',
];

export const DEFAULT_IGNORED_GLOBS = [
  '**/site-packages/**', '**/dist-packages/**', '**/__pycache__/**', '**/*.pyc',
  '**/.cache/**', '**/node_modules/**', '**/.git/**', '**/.pyenv/**', '**/.nvm/**',
  '**/.npm/**', '**/.local/lib/**', '**/lib/python3*/**', '**/.ipynb_checkpoints/**',
  '**/.venv/**', '**/.tox/**', '**/.mypy_cache/**', '**/.pytest_cache/**',
];

export interface IgnoreRules {
  /** True when a path (absolute) is dropped from footprints. */
  ignores(absPath: string): boolean;
}

export function buildIgnoreRules(opts: {
  workspaceRoot: string;
  /** Extra globs from config. */
  extraGlobs?: readonly string[];
  /** Interpreter prefixes found at run time (sys.prefix, the node install). */
  extraPrefixes?: readonly string[];
}): IgnoreRules {
  const root = path.resolve(opts.workspaceRoot);
  const prefixes = [
    ...DEFAULT_IGNORED_PREFIXES,
    path.join(root, '.retrace') + '/',
    // tsx and other tools keep compile caches in the temp folder.
    path.join(os.tmpdir(), 'tsx-'),
    ...(opts.extraPrefixes ?? []).filter((p) => p && p !== '/' && !root.startsWith(withSlash(p))).map(withSlash),
  ];
  const any = anyOf([...DEFAULT_IGNORED_GLOBS, ...(opts.extraGlobs ?? [])]);
  const rootSlash = withSlash(root);
  return {
    ignores(absPath: string): boolean {
      if (prefixes.some((p) => absPath.startsWith(p))) return true;
      if (any.test(absPath)) return true;
      return absPath.startsWith(rootSlash) && absPath.length > rootSlash.length && any.test(absPath.slice(rootSlash.length));
    },
  };
}

const combined = new Map<string, RegExp>();

/** One alternation instead of a test per glob: a busy run asks this for every path it touched. */
function anyOf(globs: readonly string[]): RegExp {
  const key = globs.join('\0');
  let re = combined.get(key);
  if (!re) {
    re = new RegExp(globs.map((g) => `(?:${globToRegExp(g).source})`).join('|'));
    if (combined.size > 100) combined.clear();
    combined.set(key, re);
  }
  return re;
}

function withSlash(p: string): string {
  return p.endsWith('/') ? p : p + '/';
}
