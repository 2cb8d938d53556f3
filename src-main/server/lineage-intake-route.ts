import { AppError, toErrorDto } from '../../shared/errors';
import { appendLineageEvent } from '../provenance/http-intake';
import type { WorkspacePaths } from '../workspace/workspace-paths';
import type { ExtraRoute } from './http-server';

/**
 * OpenLineage's HTTP transport (Marquez-compatible `POST /api/v1/lineage`, Bearer token = the
 * server token): each event is appended to a log in `.retrace/logs/`, and the tailer takes it
 * from there, so the log stays the truth and clients can point straight at Retrace.
 */
export function lineageIntakeRoute(paths: WorkspacePaths): ExtraRoute {
  return {
    method: 'POST',
    path: '/api/v1/lineage',
    async handle(body) {
      try {
        appendLineageEvent(paths, body);
        return { status: 201, body: {} };
      } catch (err) {
        const dto = toErrorDto(err);
        return { status: err instanceof AppError && err.code === 'INVALID_ARGUMENT' ? 400 : 500, body: { ok: false, error: dto } };
      }
    },
  };
}
