import type { RetraceApi } from '../../shared/api';
import type { GraphDto, PingDto, RejectedPageDto, SnapshotDto, StatusDto } from '../../shared/dto';
import { AppError } from '../../shared/errors';
import type { LineageReader } from '../lineage/lineage-reader';
import { RETRACE_VERSION } from '../version';

export interface CoreApiDeps {
  readonly workspaceRoot: string;
  readonly lineage: LineageReader;
  readonly counts: () => StatusDto['counts'];
  readonly rejected: (page: { limit: number; offset: number }) => RejectedPageDto;
  readonly clock?: () => number;
}

/**
 * The one implementation of RetraceApi. Business logic lives in the capability folders;
 * this class only maps API requests onto them. Arguments are already validated
 * (see withValidation), so methods can trust their shapes.
 */
export class CoreApi implements RetraceApi {
  constructor(private readonly deps: CoreApiDeps) {}

  async ping(req: { echo?: string }): Promise<PingDto> {
    const now = this.deps.clock?.() ?? Date.now();
    return { echo: req.echo ?? 'pong', at: new Date(now).toISOString() };
  }

  async getStatus(): Promise<StatusDto> {
    return { version: RETRACE_VERSION, workspace: this.deps.workspaceRoot, counts: this.deps.counts() };
  }

  async getGraph(req: { snapshot?: number; asOf?: string }): Promise<GraphDto> {
    if (req.snapshot !== undefined && req.asOf !== undefined) {
      throw new AppError('INVALID_ARGUMENT', 'Give either snapshot or asOf, not both.');
    }
    if (req.asOf !== undefined) {
      const t = /^\d+$/.test(req.asOf) ? Number(req.asOf) : Date.parse(req.asOf);
      if (Number.isNaN(t)) throw new AppError('INVALID_ARGUMENT', `asOf "${req.asOf}" is neither an ISO-8601 time nor epoch milliseconds.`);
      const seq = this.deps.lineage.snapshotAsOf(t);
      if (seq === null) throw new AppError('NOT_FOUND', `No snapshot exists at or before ${new Date(t).toISOString()}.`);
      return this.deps.lineage.graphAt(seq);
    }
    if (req.snapshot !== undefined) {
      const known = this.deps.lineage.listSnapshots();
      if (!known.some((s) => s.seq === req.snapshot)) {
        const last = known.at(-1)?.seq;
        throw new AppError('NOT_FOUND', last === undefined ? `Snapshot ${req.snapshot} does not exist; the workspace has no snapshots yet.` : `Snapshot ${req.snapshot} does not exist; snapshots run from ${known[0]!.seq} to ${last}.`);
      }
    }
    return this.deps.lineage.graphAt(req.snapshot);
  }

  async listSnapshots(): Promise<SnapshotDto[]> {
    return this.deps.lineage.listSnapshots();
  }

  async listRejected(req: { limit?: number; offset?: number }): Promise<RejectedPageDto> {
    return this.deps.rejected({ limit: req.limit ?? 200, offset: req.offset ?? 0 });
  }
}
