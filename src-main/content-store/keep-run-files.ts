import path from 'node:path';
import { globToRegExp } from '../../shared/glob';
import { ContentStore, type KeepFile, type KeepReport } from './content-store';
import { readStoreConfig } from './store-config';

/**
 * The one call `retrace run` makes into the content store: after the run's final event is
 * written (so the record never waits on it), keep a copy of every file it hashed — inputs,
 * outputs and code. A store failure is a warning, never a failed run.
 */
export interface RunFile {
  /** Workspace-relative (POSIX) inside the workspace, absolute outside, as in the footprint. */
  readonly path: string;
  readonly hashAfter?: string;
  readonly hash?: string;
  readonly size?: number;
  readonly op?: string;
}

export async function keepInContentStore(
  paths: { root: string; dotDir: string; configFile: string },
  files: readonly RunFile[],
  warn: (message: string) => void = () => undefined,
): Promise<KeepReport | null> {
  try {
    const config = readStoreConfig(paths.configFile);
    if (!config.enabled) return null;
    const globs = config.ignore.map((g) => globToRegExp(g));
    const keep: KeepFile[] = [];
    for (const f of files) {
      const hash = f.hashAfter ?? f.hash;
      if (!hash || f.op === 'DELETE') continue;
      const abs = path.isAbsolute(f.path) ? f.path : path.join(paths.root, ...f.path.split('/'));
      const ignored = globs.some((g) => g.test(f.path) || g.test(abs));
      keep.push({ absPath: abs, hash, ...(f.size !== undefined ? { size: f.size } : {}), ...(ignored ? { ignored } : {}) });
    }
    if (keep.length === 0) return null;
    const store = new ContentStore(paths.dotDir, config);
    try {
      return await store.keep(keep);
    } finally {
      store.dispose();
    }
  } catch (err) {
    warn(`could not keep copies of the run's files in the content store (${(err as Error).message}); the run itself is recorded.`);
    return null;
  }
}
