import type { RetraceClient } from '../../shared/api';
import type { GraphNodeDto } from '../../shared/dto';
import { AppError } from '../../shared/errors';
import type { FootprintDto, ImpactDto, RunRowDto, StalenessDto, UpstreamDto } from '../../shared/lineage-dto';
import type { ReproReportDto } from '../../shared/repro-dto';
import type { TableCommitDto } from '../../shared/table-dto';

/** What the details panel shows for the selected node, loaded when the selection changes. */
export type NodeDetails =
  | { readonly kind: 'job'; readonly runs: RunRowDto[]; readonly run: string | null; readonly footprint: FootprintDto | null; readonly repro: ReproReportDto | null }
  | { readonly kind: 'run'; readonly run: string; readonly footprint: FootprintDto | null; readonly repro: ReproReportDto | null }
  | { readonly kind: 'artifact'; readonly artifact: string; readonly staleness: StalenessDto | null; readonly upstream: UpstreamDto | null; readonly table: TableCommitDto[] | null }
  | { readonly kind: 'other' };

/** The argument the API takes for a node: `artifact:<ns>/<name>` → `<ns>/<name>`, etc. */
export function nodeRef(id: string): { type: 'artifact' | 'job' | 'run' | 'other'; ref: string } {
  const colon = id.indexOf(':');
  const type = id.slice(0, colon);
  const ref = id.slice(colon + 1);
  if (type === 'artifact' || type === 'job' || type === 'run') return { type, ref };
  return { type: 'other', ref };
}

/**
 * Loads the details of one node at one snapshot. Each part fails alone (a run without a
 * recorded command still has a footprint), so partial answers still show.
 */
export async function loadDetails(client: RetraceClient, node: GraphNodeDto, snapshot: number | null): Promise<NodeDetails> {
  const at = snapshot === null ? {} : { snapshot };
  const { type, ref } = nodeRef(node.id);
  if (type === 'job') {
    const name = ref.slice(ref.lastIndexOf('/') + 1);
    const namespace = ref.slice(0, ref.lastIndexOf('/'));
    const runs = await client.listRuns({ filterBy: [`JOB:${name}`, `JOB_NAMESPACE:${namespace}`], limit: 50 });
    const run = runs[0]?.run ?? null;
    const [footprint, repro] = run ? await Promise.all([optional(client.getFootprint({ run, ...at })), optional(client.getRepro({ run }))]) : [null, null];
    return { kind: 'job', runs, run, footprint, repro };
  }
  if (type === 'run') {
    const [footprint, repro] = await Promise.all([optional(client.getFootprint({ run: ref, ...at })), optional(client.getRepro({ run: ref }))]);
    return { kind: 'run', run: ref, footprint, repro };
  }
  if (type === 'artifact') {
    const [stale, upstream, table] = await Promise.all([
      optional(client.getStaleness({ artifact: ref, ...at })),
      optional(client.getUpstream({ artifact: ref, depth: 3, ...at })),
      optional(client.getTableHistory({ artifact: ref })),
    ]);
    return { kind: 'artifact', artifact: ref, staleness: stale?.[0] ?? null, upstream, table };
  }
  return { kind: 'other' };
}

/** Details for a run picked in a job's run list. */
export async function loadRunPart(client: RetraceClient, run: string, snapshot: number | null): Promise<{ footprint: FootprintDto | null; repro: ReproReportDto | null }> {
  const at = snapshot === null ? {} : { snapshot };
  const [footprint, repro] = await Promise.all([optional(client.getFootprint({ run, ...at })), optional(client.getRepro({ run }))]);
  return { footprint, repro };
}

/** Graph node ids an impact touches: the impacted runs, their jobs, and the artifacts in their footprints. */
export function impactNodeIds(impact: ImpactDto, graphNodes: readonly GraphNodeDto[]): Set<string> {
  const byLabel = new Map(graphNodes.filter((n) => n.id.startsWith('artifact:')).map((n) => [n.label, n.id]));
  const labels = new Set<string>([...impact.entries.map((e) => e.artifact), ...Object.values(impact.artifactClasses).flat()]);
  const ids = new Set<string>();
  for (const e of impact.entries) if (e.node) ids.add(e.node);
  for (const l of labels) {
    const id = byLabel.get(l);
    if (id) ids.add(id);
  }
  for (const r of impact.runDetails) {
    ids.add(`run:${r.run}`);
    if (r.job) ids.add(`job:${r.job}`);
  }
  return ids;
}

async function optional<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof AppError && ['NOT_FOUND', 'UNSUPPORTED', 'FORBIDDEN'].includes(err.code)) return null;
    throw err;
  }
}
