/**
 * Why a version is stale, as DTOs with one human sentence each (DESIGN §4 "stale"): the
 * staleness report and the catalogue's first reason both render them here.
 */
import type { StaleReasonDto } from '../../../shared/lineage-dto';
import type { HistoryState } from '../index-engine/history';
import type { LineageEngine } from './lineage-engine';

type RawReason = ReturnType<HistoryState['staleReasons']>[number];

export function staleReasonDtos(engine: LineageEngine, raw: readonly RawReason[]): StaleReasonDto[] {
  const cat = engine.catalog;
  return raw.map((x) => {
    const label = x.artifact ? cat.artifact(x.artifact).label : undefined;
    switch (x.code) {
      case 'INPUT_NEWER': {
        const read = cat.version(x.readVersion), cur = cat.version(x.currentVersion);
        return { code: x.code, artifact: label!, readVersion: read, currentVersion: cur, message: `${label} has a newer version ${cur} (read: ${read}).` };
      }
      case 'INPUT_DELETED': {
        const read = cat.version(x.readVersion);
        return { code: x.code, artifact: label!, readVersion: read, message: `${label} (read: ${read}) has been deleted.` };
      }
      case 'CODE_CHANGED': {
        const from = cat.code(x.readVersion), to = cat.code(x.currentVersion);
        const name = (c: typeof from) => c?.gitSha ?? c?.hash.slice(0, 12) ?? '?';
        return { code: x.code, run: cat.run(x.run).uuid, readVersion: name(from), currentVersion: name(to),
          message: `The code of ${cat.jobLabelOfRun(x.run) ?? 'the stage'} changed: ${name(from)} → ${name(to)} (run ${cat.run(x.run).uuid}).` };
      }
      case 'ENVIRONMENT_CHANGED': {
        const from = cat.environment(x.readVersion), to = cat.environment(x.currentVersion);
        return { code: x.code, run: cat.run(x.run).uuid, readVersion: from?.hash.slice(0, 12) ?? '?', currentVersion: to?.hash.slice(0, 12) ?? '?',
          message: `The environment of ${cat.jobLabelOfRun(x.run) ?? 'the stage'} changed since (run ${cat.run(x.run).uuid}).` };
      }
    }
  });
}
