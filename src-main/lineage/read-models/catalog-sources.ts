/**
 * What the catalogue reads besides the lineage index: every run's row (times, user, exit code)
 * in one columnar query, and how each artifact is stored (file, folder, Delta or Hudi table).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RunState } from '../../../shared/dto';
import type { ArtifactFormat } from '../../../shared/catalog-dto';
import type { ReadableDb } from '../../db/open-db';

/** Every run by id (arrays indexed by run id; times are epoch ms, NaN = unknown). */
export interface RunTable {
  readonly uuid: (string | undefined)[];
  readonly job: (string | null)[];
  readonly state: RunState[];
  readonly user: (string | null)[];
  readonly startedAt: Float64Array;
  readonly endedAt: Float64Array;
  readonly lastEventAt: Float64Array;
  readonly exitCode: Float64Array;
}

export function loadRunTable(db: ReadableDb, lastRunId: number): RunTable {
  const jobs = new Map((db.prepare('SELECT id, namespace, name FROM jobs').raw().all() as [number, string, string][]).map(([id, ns, name]) => [id, `${ns}/${name}`]));
  const n = lastRunId + 1;
  const t: RunTable = {
    uuid: new Array(n), job: new Array(n).fill(null), state: new Array(n).fill('OTHER'), user: new Array(n).fill(null),
    startedAt: new Float64Array(n).fill(NaN), endedAt: new Float64Array(n).fill(NaN), lastEventAt: new Float64Array(n).fill(NaN), exitCode: new Float64Array(n).fill(NaN),
  };
  const rows = db.prepare('SELECT id, run_uuid, job_id, state, user, started_at, ended_at, last_event_at, exit_code FROM runs WHERE id <= ?').raw()
    .iterate(lastRunId) as Iterable<[number, string, number | null, RunState, string | null, number | null, number | null, number, number | null]>;
  for (const [id, uuid, job, state, user, s, e, last, exit] of rows) {
    t.uuid[id] = uuid;
    t.job[id] = job === null ? null : (jobs.get(job) ?? null);
    t.state[id] = state;
    t.user[id] = user;
    if (s !== null) t.startedAt[id] = s;
    if (e !== null) t.endedAt[id] = e;
    t.lastEventAt[id] = last;
    if (exit !== null) t.exitCode[id] = exit;
  }
  return t;
}

/**
 * Storage formats by artifact id, decided once per artifact and remembered. Only artifacts that
 * can be tables or folders are looked at on disk — those with a table version recorded, and
 * artifact folders that files roll up to — so a workspace of 100,000 files costs two queries.
 */
export class ArtifactFormats {
  private readonly known = new Map<number, ArtifactFormat>();
  private checkedUpTo = 0;

  constructor(private readonly db: ReadableDb, private readonly workspaceRoot: string | undefined) {}

  /** Formats of every artifact up to `lastArtifactId` (new ones are looked at; earlier answers stand). */
  all(lastArtifactId: number): (id: number) => ArtifactFormat {
    if (lastArtifactId > this.checkedUpTo) {
      const from = this.checkedUpTo;
      const tables = new Set(this.db.prepare("SELECT DISTINCT artifact_id FROM artifact_versions WHERE version_kind = 'dataset_version' AND artifact_id > ?").pluck().all(from) as number[]);
      const folders = new Set(this.db.prepare('SELECT DISTINCT rollup_id FROM artifacts WHERE rollup_id > ?').pluck().all(from) as number[]);
      const rows = this.db.prepare('SELECT id, namespace, path FROM artifacts WHERE id > ? AND id <= ?').raw().iterate(from, lastArtifactId) as Iterable<[number, string, string | null]>;
      for (const [id, namespace, p] of rows) {
        if (p === null) this.known.set(id, namespace === 'file' ? 'file' : 'external');
        else if (tables.has(id) || folders.has(id)) this.known.set(id, this.onDisk(p, folders.has(id)));
        else this.known.set(id, 'file');
      }
      // An older artifact that files started to roll up to since: a folder (or a table) after all.
      const later = this.db.prepare('SELECT DISTINCT a.rollup_id, r.path FROM artifacts a JOIN artifacts r ON r.id = a.rollup_id WHERE a.id > ? AND a.rollup_id <= ?').raw().all(from, from) as [number, string | null][];
      for (const [id, p] of later) if (p !== null && this.known.get(id) === 'file') this.known.set(id, this.onDisk(p, true));
      this.checkedUpTo = lastArtifactId;
    }
    return (id) => this.known.get(id) ?? 'file';
  }

  private onDisk(p: string, hasMembers: boolean): ArtifactFormat {
    const dir = path.isAbsolute(p) || !this.workspaceRoot ? p : path.join(this.workspaceRoot, p);
    if (fs.existsSync(path.join(dir, '_delta_log'))) return 'delta';
    if (fs.existsSync(path.join(dir, '.hoodie'))) return 'hudi';
    return hasMembers || fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() ? 'folder' : 'file';
  }
}
