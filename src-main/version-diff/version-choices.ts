import type { VersionChoiceDto } from '../../shared/version-diff-dto';
import type { ReadableDb } from '../db/open-db';
import type { LineageEngine } from '../lineage/read-models/lineage-engine';
import { short } from '../repro/stale-check';
import { roleOf } from './align';

/**
 * What a user can pick to compare with an artifact version: the artifact's own versions (a
 * file's contents over time, a table's commits) and its sibling version folders — `Models/churn/5`
 * for `Models/churn/3`, `churn_td_4` for `churn_td_2` — where a naming convention puts each
 * version in its own folder. Oldest first.
 */
export function versionChoices(engine: LineageEngine, db: ReadableDb, artifact: string, limit = 200): VersionChoiceDto[] {
  engine.refresh();
  const id = engine.resolveArtifact(artifact);
  const rec = engine.catalog.artifact(id);
  const out: (VersionChoiceDto & { sort: number })[] = [];
  const when = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const own = db
    .prepare(
      `SELECT v.version, v.version_kind AS kind, v.created_at AS at, r.run_uuid AS run FROM artifact_versions v LEFT JOIN runs r ON r.id = v.producing_run_id
        WHERE v.artifact_id = ? AND v.version_kind IN ('hash', 'dataset_version') ORDER BY v.seq LIMIT ?`,
    )
    .all(id, limit) as { version: string; kind: string; at: number | null; run: string | null }[];
  for (const v of own) {
    const name = v.kind === 'dataset_version' ? `v${v.version}` : short(v.version);
    out.push({ artifact: rec.label, version: v.version, label: `${rec.label} ${name}`, at: when(v.at), producedBy: v.run, sort: v.at ?? 0 });
  }
  const digit = rec.label.search(/\d/);
  if (digit > 0 && rec.path) {
    const role = roleOf(rec.label);
    const prefix = rec.label.slice(0, digit).replace(/[\\%_]/g, '\\$&');
    const siblings = db
      .prepare(
        `SELECT a.path, (SELECT max(v.created_at) FROM artifact_versions v WHERE v.artifact_id = a.id OR v.artifact_id IN (SELECT f.id FROM artifacts f WHERE f.rollup_id = a.id)) AS at
           FROM artifacts a WHERE a.path LIKE ? ESCAPE '\\' AND a.rollup_id IS NULL AND a.kind = ? LIMIT ?`,
      )
      .all(`${prefix}%`, rec.kind, limit) as { path: string; at: number | null }[];
    for (const s of siblings) {
      if (roleOf(s.path) !== role) continue;
      out.push({ artifact: s.path, version: null, label: s.path, at: when(s.at), producedBy: null, sort: s.at ?? 0 });
    }
  }
  return out.sort((a, b) => a.sort - b.sort || (a.label < b.label ? -1 : 1)).map(({ sort: _sort, ...c }) => c);
}
