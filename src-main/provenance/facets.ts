/**
 * Reading the facets we understand (standard OpenLineage ones and Retrace's `retrace_*`,
 * DESIGN §3) into plain column values. Pure; tolerant of wrong types (a wrong field is
 * ignored, never fatal).
 */
import crypto from 'node:crypto';
import { type AccessOp, type Facets, type FootprintOp, isPlainObject } from './records';
import { parseEpoch, parseIsoTime } from './time';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
/** Integers only: these land in STRICT INTEGER columns, where 1.5 or 1e308 would fail the whole batch. */
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);
const obj = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {});

export function sha1(text: string): string {
  return crypto.hash('sha1', text, 'hex');
}

export function sha1Base64(text: string): string {
  return crypto.hash('sha1', text, 'base64');
}

/** `parent` run facet → the parent run's id (null when malformed, e.g. no runId). */
export function parentRunId(runFacets: Facets): string | null {
  return str(obj(obj(runFacets.parent).run).runId);
}

export function errorMessage(runFacets: Facets): string | null {
  return str(obj(runFacets.errorMessage).message);
}

export interface CommandInfo {
  readonly argv: readonly string[] | null;
  readonly cwd: string | null;
  readonly exitCode: number | null;
}

/** `retrace_command`: `{argv, cwd, exitCode}` — what a re-run executes. */
export function commandInfo(runFacets: Facets): CommandInfo | null {
  if (!isPlainObject(runFacets.retrace_command)) return null;
  const f = runFacets.retrace_command;
  const argv = Array.isArray(f.argv) && f.argv.every((a) => typeof a === 'string') ? (f.argv as string[]) : null;
  return { argv, cwd: str(f.cwd), exitCode: num(f.exitCode) };
}

export interface EnvironmentInfo {
  readonly hash: string;
  readonly user: string | null;
  readonly host: string | null;
  readonly os: string | null;
  readonly arch: string | null;
  readonly interpreter: string | null;
  readonly interpreterVersion: string | null;
  readonly engine: string | null;
  readonly engineVersion: string | null;
  readonly variables: Record<string, string>;
  readonly packages: readonly { name: string; version: string }[];
}

/**
 * `retrace_environment` (user, host, os, arch, interpreter{name,version} or interpreter +
 * interpreterVersion, packages[{name,version}], env/variables), `processing_engine` and
 * Spark's `environment-properties`. User and host are not part of the environment identity.
 */
export function environmentInfo(runFacets: Facets): EnvironmentInfo | null {
  const r = runFacets.retrace_environment;
  const pe = runFacets.processing_engine;
  const ep = runFacets['environment-properties'];
  if (!isPlainObject(r) && !isPlainObject(pe) && !isPlainObject(ep)) return null;
  const re = obj(r);
  const interp = re.interpreter;
  const interpreter = isPlainObject(interp) ? str(interp.name) : str(interp);
  const interpreterVersion = isPlainObject(interp) ? str(interp.version) : str(re.interpreterVersion);
  const variables: Record<string, string> = {};
  const vars = re.env ?? re.variables ?? re.environmentVariables;
  if (isPlainObject(vars)) for (const [k, v] of Object.entries(vars)) if (typeof v === 'string') variables[k] = v;
  if (Array.isArray(vars)) for (const e of vars) if (isPlainObject(e) && typeof e.name === 'string' && typeof e.value === 'string') variables[e.name] = e.value;
  const props = obj(obj(ep)['environment-properties']);
  for (const [k, v] of Object.entries(props)) if (typeof v === 'string') variables[k] = v;
  const packages: { name: string; version: string }[] = [];
  if (Array.isArray(re.packages)) {
    for (const p of re.packages) {
      if (isPlainObject(p) && typeof p.name === 'string') packages.push({ name: p.name, version: typeof p.version === 'string' ? p.version : '' });
    }
  }
  packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const peo = obj(pe);
  const core = {
    os: str(re.os),
    arch: str(re.arch),
    interpreter,
    interpreterVersion,
    engine: str(peo.name),
    engineVersion: str(peo.version),
    variables,
    packages,
  };
  return { ...core, hash: sha1(JSON.stringify(core)), user: str(re.user), host: str(re.host) };
}

export interface CodeInfo {
  readonly hash: string;
  readonly gitSha: string | null;
  readonly repoUrl: string | null;
  readonly url: string | null;
  readonly path: string | null;
  readonly branch: string | null;
  readonly dirtyDiffHash: string | null;
  readonly files: readonly { path: string; hash: string }[];
}

/** Job facets `sourceCodeLocation` (git sha in `version`) and `retrace_code`. */
export function codeInfo(jobFacets: Facets): CodeInfo | null {
  const s = jobFacets.sourceCodeLocation;
  const c = jobFacets.retrace_code;
  if (!isPlainObject(s) && !isPlainObject(c)) return null;
  const so = obj(s);
  const co = obj(c);
  const files: { path: string; hash: string }[] = [];
  if (Array.isArray(co.files)) for (const f of co.files) if (isPlainObject(f) && typeof f.path === 'string') files.push({ path: f.path, hash: typeof f.hash === 'string' ? f.hash : '' });
  const core = {
    gitSha: str(so.version),
    repoUrl: str(so.repoUrl),
    url: str(so.url),
    path: str(so.path),
    branch: str(so.branch),
    dirtyDiffHash: str(co.dirtyDiffHash),
    files,
  };
  return { ...core, hash: sha1(JSON.stringify(core)) };
}

/** For other producers the user comes from the `ownership` job facet (DESIGN §3). */
export function ownerFromJob(jobFacets: Facets): string | null {
  const owners = obj(jobFacets.ownership).owners;
  if (Array.isArray(owners)) for (const o of owners) if (isPlainObject(o) && str(o.name)) return o.name as string;
  return null;
}

const FOOTPRINT_OPS = new Set<AccessOp>(['READ', 'CREATE', 'MODIFY', 'DELETE', 'RENAME']);

/** `retrace_footprint.ops`; returns the valid ops and how many were dropped as invalid. */
export function footprintOps(runFacets: Facets): { ops: FootprintOp[]; invalid: number } | null {
  const f = runFacets.retrace_footprint;
  if (!isPlainObject(f)) return null;
  const ops: FootprintOp[] = [];
  let invalid = 0;
  for (const o of Array.isArray(f.ops) ? f.ops : []) {
    if (!isPlainObject(o) || typeof o.path !== 'string' || o.path === '' || !FOOTPRINT_OPS.has(o.op as AccessOp)) {
      invalid++;
      continue;
    }
    const at = typeof o.at === 'string' ? (parseIsoTime(o.at)?.ms ?? null) : parseEpoch(o.at);
    ops.push({ path: o.path, op: o.op as AccessOp, at, hashAfter: str(o.hashAfter), size: num(o.size), renamedFrom: str(o.renamedFrom) });
  }
  return { ops, invalid };
}

/** `lifecycleStateChange` on an output → footprint op (notes/lineage-uis.md §2.2). */
export function lifecycleOp(facets: Facets): AccessOp | null {
  switch (obj(facets.lifecycleStateChange).lifecycleStateChange) {
    case 'CREATE': return 'CREATE';
    case 'OVERWRITE': case 'TRUNCATE': case 'ALTER': return 'MODIFY';
    case 'DROP': return 'DELETE';
    case 'RENAME': return 'RENAME';
    default: return null;
  }
}

export function previousIdentifier(facets: Facets): { namespace: string; name: string } | null {
  const p = obj(obj(facets.lifecycleStateChange).previousIdentifier);
  return str(p.namespace) && str(p.name) ? { namespace: p.namespace as string, name: p.name as string } : null;
}

export function datasetVersion(facets: Facets): string | null {
  const v = obj(facets.version).datasetVersion;
  return typeof v === 'number' ? String(v) : str(v);
}

export function outputStats(ioFacets: Facets): { size: number | null; rowCount: number | null } {
  const s = obj(ioFacets.outputStatistics);
  return { size: num(s.size), rowCount: num(s.rowCount) };
}

/** `tags` facet ({tags:[{key,value}]}) → "key:value" strings. */
export function tagsOf(facets: Facets): string[] {
  const tags = obj(facets.tags).tags;
  const out: string[] = [];
  if (Array.isArray(tags)) for (const t of tags) if (isPlainObject(t) && str(t.key)) out.push(t.value !== undefined ? `${t.key}:${String(t.value)}` : (t.key as string));
  return out;
}

/** Searchable text of facets: string leaves (not `_producer`/`_schemaURL`), bounded in depth and size. */
export function facetText(facets: Facets, limit = 1000): string {
  const parts: string[] = [];
  let len = 0;
  const walk = (v: unknown, depth: number): void => {
    if (len >= limit || depth > 6) return;
    if (typeof v === 'string') {
      if (v.length <= 200) {
        parts.push(v);
        len += v.length + 1;
      }
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
    } else if (isPlainObject(v)) {
      // Footprint paths are artifacts of their own; their text would only bloat the index.
      for (const [k, x] of Object.entries(v)) if (k !== '_producer' && k !== '_schemaURL' && k !== 'retrace_footprint') walk(x, depth + 1);
    }
  };
  walk(facets, 0);
  return parts.join(' ').slice(0, limit);
}
