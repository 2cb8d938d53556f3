import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { Disposable } from '../../shared/disposable';
import type { ContentStore } from '../content-store/content-store';
import { readTablePage, tableHistory } from '../lake/table-api';
import type { InputSource } from './replay-inputs';

/**
 * The scratch folder a replay runs in: the workspace's folder layout (folders only — a replay
 * sees exactly the files the run read, as it read them, so a glob over a folder finds what it
 * found then), the inputs restored, and the workspace's capture settings with the content store
 * switched off (the replay's outputs are compared, not kept). The real workspace is only read.
 */
export interface Sandbox extends Disposable {
  readonly root: string;
}

const SKIPPED_FOLDERS = new Set(['.git', '.retrace', '.venv', 'node_modules', '__pycache__', '.tox', '.mypy_cache', '.pytest_cache', '.ipynb_checkpoints']);
const MAX_LAYOUT_FOLDERS = 20_000;

export async function buildSandbox(opts: {
  workspaceRoot: string;
  sources: readonly InputSource[];
  /** Folders that must exist: where the run ran and where it wrote. */
  folders: readonly string[];
  store: ContentStore;
  configFile: string;
}): Promise<Sandbox> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-replay-'));
  const dispose = () => fs.rmSync(root, { recursive: true, force: true });
  try {
    copyLayout(opts.workspaceRoot, root);
    for (const f of opts.folders) fs.mkdirSync(path.join(root, f), { recursive: true });
    for (const s of opts.sources) await restore(s, opts.workspaceRoot, root, opts.store);
    writeConfig(opts.configFile, path.join(root, '.retrace', 'config.json'));
  } catch (err) {
    dispose();
    throw err;
  }
  return { root, dispose };
}

function copyLayout(from: string, to: string): void {
  let made = 0;
  const walk = (rel: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(from, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory() || SKIPPED_FOLDERS.has(e.name) || made >= MAX_LAYOUT_FOLDERS) continue;
      const child = path.join(rel, e.name);
      // A Delta table's folders come with the table (restored at its version), not empty.
      if (fs.existsSync(path.join(from, child, '_delta_log'))) continue;
      fs.mkdirSync(path.join(to, child), { recursive: true });
      made++;
      walk(child);
    }
  };
  walk('');
}

async function restore(s: InputSource, workspaceRoot: string, root: string, store: ContentStore): Promise<void> {
  if (s.path === null || path.isAbsolute(s.path)) return; // read in place, or not a file
  const src = path.join(workspaceRoot, s.path);
  const dest = path.join(root, s.path);
  const label = s.dto.artifact;
  switch (s.dto.restore) {
    case 'store':
      if (!(await store.restoreTo(s.hash!, dest))) {
        throw new AppError('CONFLICT', `${label} (${s.dto.version}) is no longer in the content store (evicted since the plan was made); ask for the replay again.`);
      }
      return;
    case 'workspace':
      copyFile(src, dest);
      if ((await sha256(dest)) !== s.hash) {
        throw new AppError('CONFLICT', `${label} changed in the workspace since the plan was made; ask for the replay again.`);
      }
      return;
    case 'time-travel':
      await copyTableAt(src, dest, s.tableVersion!, label);
      return;
    case 'current':
      if (fs.existsSync(path.join(src, '_delta_log'))) copyTree(src, dest, () => true);
      else if (fs.existsSync(src)) copyFile(src, dest);
      return;
    default:
      return; // in place, or absent
  }
}

/** A Delta table as of `version`: its log cut after that commit (time travel by truncation), its data files. */
export async function copyTableAt(src: string, dest: string, version: number, label: string): Promise<void> {
  const logVersion = (name: string): number | null => {
    const m = /^(\d{20})\./.exec(name);
    return m ? Number(m[1]) : null;
  };
  copyTree(src, dest, (rel) => {
    const parts = rel.split(path.sep);
    if (parts[0] !== '_delta_log' || parts.length !== 2) return true;
    if (parts[1] === '_last_checkpoint') return false; // may point past the version; readers list the log instead
    const v = logVersion(parts[1]!);
    return v === null || v <= version;
  });
  try {
    const newest = Math.max(...tableHistory(dest).map((c) => c.version));
    if (newest !== version) throw new Error(`its log ends at version ${newest}`);
    await readTablePage(dest, { version, limit: 1 });
  } catch (err) {
    throw new AppError('IO', `Could not restore ${label} at version ${version}: ${(err as Error).message}.`);
  }
}

function copyTree(src: string, dest: string, keep: (rel: string) => boolean): void {
  const walk = (rel: string): void => {
    fs.mkdirSync(path.join(dest, rel), { recursive: true });
    for (const e of fs.readdirSync(path.join(src, rel), { withFileTypes: true })) {
      const child = path.join(rel, e.name);
      if (!keep(child)) continue;
      if (e.isDirectory()) walk(child);
      else if (e.isFile()) copyFile(path.join(src, child), path.join(dest, child));
    }
  };
  walk('');
}

function copyFile(src: string, dest: string): void {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(src, dest, fs.constants.COPYFILE_FICLONE);
}

async function sha256(file: string): Promise<string | undefined> {
  try {
    const h = crypto.createHash('sha256');
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) h.update(chunk as Buffer);
    return `sha256:${h.digest('hex')}`;
  } catch {
    return undefined;
  }
}

/** The workspace's config for the sandbox: the same capture rules, no content store. */
function writeConfig(from: string, to: string): void {
  let config: Record<string, unknown> = {};
  try {
    config = JSON.parse(fs.readFileSync(from, 'utf8')) as Record<string, unknown>;
  } catch {
    // none, or unreadable: the defaults
  }
  const store = typeof config.store === 'object' && config.store !== null ? config.store : {};
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.writeFileSync(to, JSON.stringify({ ...config, store: { ...store, enabled: false } }));
}
