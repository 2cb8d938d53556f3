/**
 * Why a version is stale, as DTOs with one human sentence each (DESIGN §4 "stale"): the
 * staleness report and the catalogue's first reason both render them here. A "changed" reason
 * always says what differs — the git commit, the code files, the packages — never two equal
 * short hashes; its details carry the full values.
 */
import type { StaleReasonDto } from '../../../shared/lineage-dto';
import { shortHash, shortPair } from '../../../shared/short-hash';
import { shortRunId } from '../index-engine/catalog';
import type { HistoryState } from '../index-engine/history';
import type { LineageEngine } from './lineage-engine';

type RawReason = ReturnType<HistoryState['staleReasons']>[number];

/** A package present before, after, or both with different versions. */
export interface PackageDiff { readonly name: string; readonly from: string | null; readonly to: string | null }
export interface CodeFileDiff { readonly path: string; readonly change: 'modified' | 'added' | 'removed'; readonly from: string | null; readonly to: string | null }

/** Every staleness sentence (each ends with a full stop). */
export const STALE_SENTENCES = {
  inputNewer: (p: { artifact: string; read: string; current: string }) => {
    const s = shortPair(p.read, p.current);
    return `${p.artifact} has a newer version ${s.after} (the producing run read ${s.before}).`;
  },
  inputDeleted: (p: { artifact: string; read: string }) => `${p.artifact} has been deleted since the producing run read it (${shortHash(p.read)}).`,
  codeChanged: (p: { stage: string; run: string; parts: readonly string[] }) => `The code of ${p.stage} changed in run ${shortRunId(p.run)}: ${p.parts.join('; ')}.`,
  environmentChanged: (p: { stage: string; run: string; parts: readonly string[] }) => `The environment of ${p.stage} changed in run ${shortRunId(p.run)}: ${p.parts.join('; ')}.`,
} as const;

/** The parts of the code and environment sentences. */
export const STALE_PARTS = {
  git: (p: { from: string; to: string }) => {
    const s = shortPair(p.from, p.to, { digits: 7, mark: '' });
    return `git ${s.before} → ${s.after}`;
  },
  codeFiles: (p: { files: readonly CodeFileDiff[] }) =>
    p.files.slice(0, 3).map((f) => `${f.path} ${f.change}`).join(', ') + (p.files.length > 3 ? ` and ${p.files.length - 3} more` : ''),
  uncommitted: () => 'the uncommitted changes differ',
  codeVersion: (p: { from: string; to: string }) => {
    const s = shortPair(p.from, p.to);
    return `code version ${s.before} → ${s.after}`;
  },
  interpreter: (p: { from: string; to: string }) => `${p.from} → ${p.to}`,
  os: (p: { from: string; to: string }) => `OS ${p.from} → ${p.to}`,
  arch: (p: { from: string; to: string }) => `architecture ${p.from} → ${p.to}`,
  packages: (p: { packages: readonly PackageDiff[] }) =>
    p.packages.slice(0, 4).map((x) => (x.from === null ? `${x.name} added (${x.to})` : x.to === null ? `${x.name} removed (${x.from})` : `${x.name} ${x.from} → ${x.to}`)).join(', ')
    + (p.packages.length > 4 ? ` and ${p.packages.length - 4} more` : ''),
  environmentVersion: (p: { from: string; to: string }) => {
    const s = shortPair(p.from, p.to);
    return `environment ${s.before} → ${s.after}`;
  },
} as const;

export function staleReasonDtos(engine: LineageEngine, raw: readonly RawReason[]): StaleReasonDto[] {
  const cat = engine.catalog;
  return raw.map((x): StaleReasonDto => {
    const label = x.artifact ? cat.artifact(x.artifact).label : '';
    switch (x.code) {
      case 'INPUT_NEWER': {
        const read = cat.version(x.readVersion), cur = cat.version(x.currentVersion);
        const s = shortPair(read, cur);
        return { code: x.code, artifact: label, readVersion: read, currentVersion: cur, readShort: s.before, currentShort: s.after,
          message: STALE_SENTENCES.inputNewer({ artifact: label, read, current: cur }) };
      }
      case 'INPUT_DELETED': {
        const read = cat.version(x.readVersion);
        return { code: x.code, artifact: label, readVersion: read, message: STALE_SENTENCES.inputDeleted({ artifact: label, read }) };
      }
      case 'CODE_CHANGED':
        return codeChanged(engine, x);
      case 'ENVIRONMENT_CHANGED':
        return environmentChanged(engine, x);
    }
  });
}

interface CodeRow { hash: string; git_sha: string | null; dirty_diff_hash: string | null; files: string }

function codeChanged(engine: LineageEngine, x: RawReason): StaleReasonDto {
  const cat = engine.catalog;
  const row = (id: number) => engine.db.prepare('SELECT hash, git_sha, dirty_diff_hash, files FROM code_versions WHERE id = ?').get(id) as CodeRow;
  const a = row(x.readVersion), b = row(x.currentVersion);
  const files = codeFileDiff(parseFiles(a.files), parseFiles(b.files));
  const parts: string[] = [];
  if (a.git_sha && b.git_sha && a.git_sha !== b.git_sha) parts.push(STALE_PARTS.git({ from: a.git_sha, to: b.git_sha }));
  if (files.length) parts.push(STALE_PARTS.codeFiles({ files }));
  if ((a.dirty_diff_hash ?? null) !== (b.dirty_diff_hash ?? null)) parts.push(STALE_PARTS.uncommitted());
  if (parts.length === 0) parts.push(STALE_PARTS.codeVersion({ from: a.hash, to: b.hash }));
  // The two sides differ by construction: the git shas when those differ, else the code versions' hashes.
  const byGit = a.git_sha !== null && b.git_sha !== null && a.git_sha !== b.git_sha;
  const read = byGit ? a.git_sha! : a.hash, current = byGit ? b.git_sha! : b.hash;
  const s = shortPair(read, current, byGit ? { digits: 7, mark: '' } : {});
  const run = cat.run(x.run).uuid;
  return {
    code: 'CODE_CHANGED', run, readVersion: read, currentVersion: current, readShort: s.before, currentShort: s.after,
    message: STALE_SENTENCES.codeChanged({ stage: cat.jobLabelOfRun(x.run) ?? 'the stage', run, parts }),
    details: {
      from: { hash: a.hash, gitSha: a.git_sha, dirtyDiffHash: a.dirty_diff_hash },
      to: { hash: b.hash, gitSha: b.git_sha, dirtyDiffHash: b.dirty_diff_hash },
      files,
    },
  };
}

interface EnvRow { hash: string; os: string | null; arch: string | null; interpreter: string | null; interpreter_version: string | null }

function environmentChanged(engine: LineageEngine, x: RawReason): StaleReasonDto {
  const cat = engine.catalog;
  const row = (id: number) => engine.db.prepare('SELECT hash, os, arch, interpreter, interpreter_version FROM environments WHERE id = ?').get(id) as EnvRow;
  const pkgs = (id: number) => engine.db.prepare('SELECT name, version FROM environment_packages WHERE environment_id = ?').raw().all(id) as [string, string][];
  const a = row(x.readVersion), b = row(x.currentVersion);
  const interp = (e: EnvRow) => (e.interpreter ? `${e.interpreter}${e.interpreter_version ? ` ${e.interpreter_version}` : ''}` : null);
  const parts: string[] = [];
  const ia = interp(a), ib = interp(b);
  if (ia && ib && ia !== ib) parts.push(STALE_PARTS.interpreter({ from: ia, to: ib }));
  if (a.os && b.os && a.os !== b.os) parts.push(STALE_PARTS.os({ from: a.os, to: b.os }));
  if (a.arch && b.arch && a.arch !== b.arch) parts.push(STALE_PARTS.arch({ from: a.arch, to: b.arch }));
  const packages = packageDiff(pkgs(x.readVersion), pkgs(x.currentVersion));
  if (packages.length) parts.push(STALE_PARTS.packages({ packages }));
  if (parts.length === 0) parts.push(STALE_PARTS.environmentVersion({ from: a.hash, to: b.hash }));
  const s = shortPair(a.hash, b.hash);
  const run = cat.run(x.run).uuid;
  return {
    code: 'ENVIRONMENT_CHANGED', run, readVersion: a.hash, currentVersion: b.hash, readShort: s.before, currentShort: s.after,
    message: STALE_SENTENCES.environmentChanged({ stage: cat.jobLabelOfRun(x.run) ?? 'the stage', run, parts }),
    details: { from: { hash: a.hash, interpreter: ia, os: a.os, arch: a.arch }, to: { hash: b.hash, interpreter: ib, os: b.os, arch: b.arch }, packages },
  };
}

function parseFiles(text: string): Map<string, string> {
  try {
    const list = JSON.parse(text) as { path?: unknown; hash?: unknown }[];
    return new Map(list.filter((f) => typeof f.path === 'string').map((f) => [f.path as string, typeof f.hash === 'string' ? f.hash : '']));
  } catch {
    return new Map();
  }
}

/** Code files that differ between two code versions, by path. */
export function codeFileDiff(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): CodeFileDiff[] {
  const out: CodeFileDiff[] = [];
  for (const [p, h] of before) {
    const now = after.get(p);
    if (now === undefined) out.push({ path: p, change: 'removed', from: h, to: null });
    else if (now !== h) out.push({ path: p, change: 'modified', from: h, to: now });
  }
  for (const [p, h] of after) if (!before.has(p)) out.push({ path: p, change: 'added', from: null, to: h });
  return out.sort((x, y) => (x.path < y.path ? -1 : 1));
}

/** Packages that differ between two environments, by name. */
export function packageDiff(before: readonly [string, string][], after: readonly [string, string][]): PackageDiff[] {
  const a = new Map(before), b = new Map(after);
  const out: PackageDiff[] = [];
  for (const [name, v] of a) if (b.get(name) !== v) out.push({ name, from: v, to: b.get(name) ?? null });
  for (const [name, v] of b) if (!a.has(name)) out.push({ name, from: null, to: v });
  return out.sort((x, y) => (x.name < y.name ? -1 : 1));
}
