import fs from 'node:fs';
import path from 'node:path';
import avro from 'avsc';
import { AppError } from '../../shared/errors';

/**
 * The Hudi timeline (notes/table-formats.md §2): completed instants only. Table version 6 keeps
 * them as `.hoodie/<instant>.<action>` with JSON metadata; versions 8 and 9 as
 * `.hoodie/timeline/<requested>_<completed>.<action>` with Avro metadata. `.requested` and
 * `.inflight` files are not commits. In a merge-on-read table `deltacommit` writes base or log
 * files, `commit` is a finished compaction, `replacecommit` an overwrite or clustering.
 */
export interface HudiInstant {
  /** Requested (instant) time, `yyyyMMddHHmmssSSS`; file names carry it. */
  readonly instant: string;
  readonly action: string;
  /** Completion time (table version 8+ only). */
  readonly completed?: string;
  readonly file: string;
}

export interface HudiTable {
  readonly dir: string;
  readonly tableVersion: number;
  readonly tableType: 'COPY_ON_WRITE' | 'MERGE_ON_READ';
  readonly properties: Record<string, string>;
  /** Completed data instants (commit, deltacommit, replacecommit), oldest first. */
  readonly timeline: HudiInstant[];
  /** Completed rollbacks, oldest first. */
  readonly rollbacks: HudiInstant[];
}

export const DATA_ACTIONS = new Set(['commit', 'replacecommit', 'deltacommit']);
export const SUPPORTED_TABLE_VERSIONS = new Set([5, 6, 8, 9]);

function readProperties(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('#') || !line.includes('=')) continue;
    const i = line.indexOf('=');
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim().replace(/\\:/g, ':');
  }
  return out;
}

export function hudiTimeline(dir: string): HudiTable {
  const props = path.join(dir, '.hoodie', 'hoodie.properties');
  if (!fs.existsSync(props)) throw new AppError('NOT_FOUND', `${dir} is not a Hudi table (no .hoodie/hoodie.properties).`);
  const properties = readProperties(props);
  const tableVersion = Number(properties['hoodie.table.version'] ?? '6');
  if (!SUPPORTED_TABLE_VERSIONS.has(tableVersion)) {
    throw new AppError('UNSUPPORTED', `Hudi table ${dir} has table version ${tableVersion}; Retrace reads versions 5, 6, 8 and 9.`, { feature: `tableVersion${tableVersion}` });
  }
  const baseFormat = (properties['hoodie.table.base.file.format'] ?? 'PARQUET').toUpperCase();
  if (baseFormat !== 'PARQUET') {
    throw new AppError('UNSUPPORTED', `Hudi table ${dir} keeps its base files as ${baseFormat}; Retrace reads Parquet base files only.`, { feature: `baseFileFormat${baseFormat}` });
  }
  if (properties['hoodie.bootstrap.base.path']) {
    throw new AppError('UNSUPPORTED', `Hudi table ${dir} is a bootstrap table (its data stays in ${properties['hoodie.bootstrap.base.path']}), which Retrace cannot read yet.`, { feature: 'bootstrap' });
  }
  const type = properties['hoodie.table.type'] ?? 'COPY_ON_WRITE';
  if (type !== 'COPY_ON_WRITE' && type !== 'MERGE_ON_READ') throw new AppError('UNSUPPORTED', `Hudi table ${dir} has type ${type}, which Retrace does not know.`);
  const v8 = tableVersion >= 8;
  const timelineDir = v8 ? path.join(dir, '.hoodie', properties['hoodie.timeline.path'] ?? 'timeline') : path.join(dir, '.hoodie');
  const timeline: HudiInstant[] = [];
  const rollbacks: HudiInstant[] = [];
  for (const name of fs.existsSync(timelineDir) ? fs.readdirSync(timelineDir) : []) {
    // Completed instants have no state suffix (.requested / .inflight).
    const m = v8 ? /^(\d+)_(\d+)\.([a-z]+)$/.exec(name) : /^(\d+)\.([a-z]+)$/.exec(name);
    if (!m) continue;
    const action = v8 ? m[3]! : m[2]!;
    const instant = { instant: m[1]!, action, ...(v8 ? { completed: m[2]! } : {}), file: path.join(timelineDir, name) };
    if (DATA_ACTIONS.has(action)) timeline.push(instant);
    else if (action === 'rollback') rollbacks.push(instant);
  }
  const byInstant = (a: HudiInstant, b: HudiInstant): number => (a.instant < b.instant ? -1 : a.instant > b.instant ? 1 : 0);
  return { dir, tableVersion, tableType: type, properties, timeline: timeline.sort(byInstant), rollbacks: rollbacks.sort(byInstant) };
}

/** The metadata of a completed instant: JSON (table version 6) or one Avro record (8+). */
export async function commitMetadata(table: HudiTable, instant: HudiInstant): Promise<Record<string, unknown>> {
  if (table.tableVersion < 8) {
    const text = fs.readFileSync(instant.file, 'utf8');
    try {
      return text.trim() === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      throw new AppError('STORE_CORRUPT', `Hudi instant ${instant.file} is not valid JSON.`, { file: instant.file });
    }
  }
  if (fs.statSync(instant.file).size === 0) return {};
  return new Promise((resolve, reject) => {
    let record: Record<string, unknown> = {};
    avro.createFileDecoder(instant.file)
      .on('data', (r: Record<string, unknown>) => { record = r; })
      .on('error', (e: Error) => reject(new AppError('STORE_CORRUPT', `Hudi instant ${instant.file} is not valid Avro (${e.message}).`, { file: instant.file })))
      .on('end', () => resolve(record));
  });
}

/** Pads a prefix such as `yyyyMMdd` to a full instant, so "as of 2024-07-28" covers the day. */
export const padInstant = (t: string): string => t.replace(/\D/g, '').padEnd(17, '9');
