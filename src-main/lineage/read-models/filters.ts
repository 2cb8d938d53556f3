/**
 * Hopsworks-style `filter_by=FIELD:value` listing of runs and artifacts
 * (notes/hopsworks-provenance.md §2.7): `FIELD:value` is equality, `FIELD_LIKE:value` a pattern
 * (`*` any text, `?` one character; without wildcards a substring), and `_LT`, `_LTE`, `_GT`,
 * `_GTE` compare numbers and times (ISO-8601 or epoch ms). Filters are ANDed; the same field
 * given twice for equality means either value. Compiled to parameterised SQL.
 */
import type { NodeKind, RunState } from '../../../shared/dto';
import { AppError } from '../../../shared/errors';
import type { ReadableDb } from '../../db/open-db';
import { shortVersion } from '../index-engine/catalog';
import type { ArtifactRowDto, RunRowDto } from '../../../shared/lineage-dto';

interface FieldSpec {
  readonly sql: string;
  readonly type: 'text' | 'time' | 'number';
}

export const RUN_FIELDS: Readonly<Record<string, FieldSpec>> = {
  RUN_ID: { sql: 'r.run_uuid', type: 'text' },
  STATE: { sql: 'r.state', type: 'text' },
  USER: { sql: 'r.user', type: 'text' },
  HOST: { sql: 'r.host', type: 'text' },
  JOB: { sql: 'j.name', type: 'text' },
  JOB_NAMESPACE: { sql: 'j.namespace', type: 'text' },
  PARENT_RUN: { sql: 'r.parent_run_uuid', type: 'text' },
  STARTED_AT: { sql: 'r.started_at', type: 'time' },
  ENDED_AT: { sql: 'r.ended_at', type: 'time' },
  EXIT_CODE: { sql: 'r.exit_code', type: 'number' },
};

export const ARTIFACT_FIELDS: Readonly<Record<string, FieldSpec>> = {
  NAME: { sql: 'a.name', type: 'text' },
  NAMESPACE: { sql: 'a.namespace', type: 'text' },
  PATH: { sql: 'a.path', type: 'text' },
  KIND: { sql: 'a.kind', type: 'text' },
  TAG: { sql: 'a.tags', type: 'text' },
  VERSION: { sql: 'v.version', type: 'text' },
  CREATED_AT: { sql: 'v.created_at', type: 'time' },
};

const OPS: Readonly<Record<string, string>> = { LT: '<', LTE: '<=', GT: '>', GTE: '>=' };

export interface ListRequest {
  /** `FIELD:value` filters, e.g. `STATE:COMPLETE`, `USER_LIKE:ali*`, `STARTED_AT_GTE:2026-01-01`. */
  readonly filterBy?: readonly string[];
  /** `FIELD:asc|desc` (default: newest first). */
  readonly sortBy?: string;
  readonly limit?: number;
  readonly offset?: number;
}

/** Compiles filters to a WHERE clause and its parameters; unknown fields are refused with the known ones. */
export function compileFilters(filters: readonly string[], fields: Readonly<Record<string, FieldSpec>>, what: string): { where: string; params: unknown[] } {
  const eq = new Map<string, unknown[]>();
  const clauses: string[] = [];
  const params: unknown[] = [];
  for (const f of filters) {
    const colon = f.indexOf(':');
    if (colon <= 0) throw new AppError('INVALID_ARGUMENT', `Filter "${f}" is not FIELD:value.`);
    const key = f.slice(0, colon).toUpperCase();
    const raw = f.slice(colon + 1);
    const m = /^(.*?)(?:_(LIKE|LT|LTE|GT|GTE))?$/.exec(key)!;
    const field = fields[key] ? key : m[1]!;
    const suffix = fields[key] ? undefined : m[2];
    const spec = fields[field];
    if (!spec) throw new AppError('INVALID_ARGUMENT', `Unknown ${what} filter field "${key}"; known: ${Object.keys(fields).join(', ')} (with _LIKE, _LT, _LTE, _GT, _GTE).`);
    if (suffix === 'LIKE') {
      const pattern = /[*?]/.test(raw) ? raw.replace(/[\\%_]/g, '\\$&').replace(/\*/g, '%').replace(/\?/g, '_') : `%${raw.replace(/[\\%_]/g, '\\$&')}%`;
      clauses.push(`${spec.sql} LIKE ? ESCAPE '\\'`);
      params.push(pattern);
    } else if (suffix) {
      clauses.push(`${spec.sql} ${OPS[suffix]} ?`);
      params.push(typedValue(raw, spec, f));
    } else {
      const list = eq.get(field) ?? [];
      list.push(typedValue(raw, spec, f));
      eq.set(field, list);
    }
  }
  for (const [field, values] of eq) {
    clauses.push(`${fields[field]!.sql} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function typedValue(raw: string, spec: FieldSpec, filter: string): unknown {
  if (spec.type === 'text') return raw;
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (spec.type === 'time') {
    const t = Date.parse(raw);
    if (!Number.isNaN(t)) return t;
  }
  throw new AppError('INVALID_ARGUMENT', `Filter "${filter}" needs ${spec.type === 'time' ? 'an ISO-8601 time or epoch milliseconds' : 'a number'}.`);
}

function orderBy(sortBy: string | undefined, fields: Readonly<Record<string, FieldSpec>>, fallback: string): string {
  if (!sortBy) return fallback;
  const [f, dir = 'asc'] = sortBy.split(':');
  const spec = fields[(f ?? '').toUpperCase()];
  if (!spec || !/^(asc|desc)$/i.test(dir)) throw new AppError('INVALID_ARGUMENT', `Sort "${sortBy}" is not FIELD:asc|desc with FIELD one of ${Object.keys(fields).join(', ')}.`);
  return `ORDER BY ${spec.sql} ${dir.toUpperCase()}`;
}

const page = (r: ListRequest) => [Math.max(0, Math.min(10_000, Math.floor(r.limit ?? 100))), Math.max(0, Math.floor(r.offset ?? 0))];
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** Runs matching the filters, newest first unless sorted otherwise. */
export function listRuns(db: ReadableDb, req: ListRequest = {}): RunRowDto[] {
  const { where, params } = compileFilters(req.filterBy ?? [], RUN_FIELDS, 'run');
  const sql = `SELECT r.run_uuid, j.namespace, j.name, r.state, r.user, r.host, r.started_at, r.ended_at, r.parent_run_uuid, r.exit_code
    FROM runs r LEFT JOIN jobs j ON j.id = r.job_id ${where} ${orderBy(req.sortBy, RUN_FIELDS, 'ORDER BY r.id DESC')} LIMIT ? OFFSET ?`;
  const rows = db.prepare(sql).raw().all(...params, ...page(req)) as [string, string | null, string | null, string, string | null, string | null, number | null, number | null, string | null, number | null][];
  return rows.map(([run, ns, name, state, user, host, s, e, parent, exit]) => ({
    run, job: ns !== null && name !== null ? `${ns}/${name}` : null, state: state as RunState, user, host, startedAt: iso(s), endedAt: iso(e), parentRun: parent,
    durationMs: s !== null && e !== null ? e - s : null, exitCode: exit,
  }));
}

/** Artifacts matching the filters (with their current version), newest first unless sorted otherwise. */
export function listArtifacts(db: ReadableDb, req: ListRequest = {}): ArtifactRowDto[] {
  const { where, params } = compileFilters(req.filterBy ?? [], ARTIFACT_FIELDS, 'artifact');
  const sql = `SELECT a.namespace, a.name, a.path, a.kind, a.tags, v.version, u.path, u.namespace, u.name
    FROM artifacts a LEFT JOIN artifact_versions v ON v.id = a.current_version_id LEFT JOIN artifacts u ON u.id = a.rollup_id
    ${where} ${orderBy(req.sortBy, ARTIFACT_FIELDS, 'ORDER BY a.id DESC')} LIMIT ? OFFSET ?`;
  const rows = db.prepare(sql).raw().all(...params, ...page(req)) as (string | null)[][];
  return rows.map(([ns, name, path, kind, tags, version, upPath, upNs, upName]) => ({
    artifact: path ?? `${ns}/${name}`, id: `artifact:${ns}/${name}`, namespace: ns!, name: name!, kind: kind as NodeKind,
    tags: JSON.parse(tags ?? '[]') as string[], version: version ? shortVersion(version) : null,
    rollup: upNs === null ? null : (upPath ?? `${upNs}/${upName}`),
  }));
}
