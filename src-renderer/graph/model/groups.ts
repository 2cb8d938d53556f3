/**
 * The group hierarchy of a lineage graph: jobs by namespace, pipeline and dotted name prefix;
 * runs under their stage; artifacts by folder; code and environment versions by kind. Derived
 * from node ids and labels alone (pure, no DOM), so the same function runs in tests and in the
 * browser. Group ids are stable across snapshots as long as the folder or name they stand for
 * exists, which is what keeps a collapsed group in place while the time slider moves.
 */
import type { GraphEdgeDto, GraphNodeDto, NodeKind } from '../../../shared/dto';

export type GroupKind = 'namespace' | 'pipeline' | 'prefix' | 'folder' | 'runs' | 'kind';

export interface GroupInfo {
  readonly id: string;
  readonly kind: GroupKind;
  /** What the group node shows, e.g. `data/staged` or `team3.etl`. */
  readonly label: string;
  readonly parent: string | null;
  /** Nodes directly inside (not in a sub-group). */
  readonly members: string[];
  /** Sub-groups directly inside. */
  readonly children: string[];
  /** Every node below, at any depth. */
  size: number;
  /** Nodes below, per kind. */
  readonly kinds: Partial<Record<NodeKind, number>>;
}

export interface GroupTree {
  readonly groups: ReadonlyMap<string, GroupInfo>;
  /** The innermost group of each node; absent = top level. */
  readonly groupOf: ReadonlyMap<string, string>;
  /** Top-level groups and nodes. */
  readonly rootGroups: readonly string[];
  readonly rootNodes: readonly string[];
}

interface Segment {
  readonly id: string;
  readonly kind: GroupKind;
  readonly label: string;
}

/** Builds the hierarchy; groups holding a single node are dissolved, single-child chains merged. */
export function buildGroupTree(nodes: readonly GraphNodeDto[], edges: readonly GraphEdgeDto[]): GroupTree {
  const pipelines = new Set<string>();
  for (const n of nodes) if (n.pipeline) pipelines.add(n.pipeline);
  const jobOfRun = new Map<string, string>();
  for (const e of edges) if (e.kind === 'instance_of') jobOfRun.set(e.source, e.target);
  const byId = new Map(nodes.map((n) => [n.id, n]));

  // 1. Raw tree from each node's chain of segments.
  const raw = new Map<string, { seg: Segment; parent: string | null; members: string[]; children: Set<string> }>();
  const rootGroups = new Set<string>();
  const rootNodes: string[] = [];
  for (const n of nodes) {
    const chain = chainOf(n, pipelines, jobOfRun, byId);
    let parent: string | null = null;
    for (const seg of chain) {
      let g = raw.get(seg.id);
      if (!g) raw.set(seg.id, (g = { seg, parent, members: [], children: new Set() }));
      if (parent) raw.get(parent)!.children.add(seg.id);
      else rootGroups.add(seg.id);
      parent = seg.id;
    }
    if (parent) raw.get(parent)!.members.push(n.id);
    else rootNodes.push(n.id);
  }

  // 2. Sizes bottom-up (children were created after their parents, so reverse insertion order works).
  const size = new Map<string, number>();
  for (const id of [...raw.keys()].reverse()) {
    const g = raw.get(id)!;
    let s = g.members.length;
    for (const c of g.children) s += size.get(c) ?? 0;
    size.set(id, s);
  }

  // 3. Compress: a group of one node dissolves into its parent; a group with no members of its
  //    own and one sub-group merges with it (`data` › `staged` becomes `data/staged`).
  const groups = new Map<string, GroupInfo>();
  const groupOf = new Map<string, string>();
  const outRootGroups: string[] = [];
  const outRootNodes = [...rootNodes];
  const place = (rawId: string, parent: string | null, prefixLabel: string | null): void => {
    const g = raw.get(rawId)!;
    const label = prefixLabel ? joinLabel(prefixLabel, g.seg) : g.seg.label;
    if ((size.get(rawId) ?? 0) < 2) {
      // Dissolve: members and sub-groups move up one level.
      for (const m of g.members) addMember(parent, m);
      for (const c of g.children) place(c, parent, null);
      return;
    }
    if (g.members.length === 0 && g.children.size === 1) {
      place([...g.children][0]!, parent, label);
      return;
    }
    const info: GroupInfo = { id: g.seg.id, kind: g.seg.kind, label, parent, members: [], children: [], size: size.get(rawId) ?? 0, kinds: {} };
    groups.set(info.id, info);
    if (parent) groups.get(parent)!.children.push(info.id);
    else outRootGroups.push(info.id);
    for (const m of g.members) addMember(info.id, m);
    for (const c of g.children) place(c, info.id, null);
  };
  const addMember = (group: string | null, node: string): void => {
    if (group) {
      groups.get(group)!.members.push(node);
      groupOf.set(node, group);
    } else outRootNodes.push(node);
  };
  for (const id of rootGroups) place(id, null, null);

  // 4. Kind counts, bottom-up along each node's ancestry.
  for (const [node, g] of groupOf) {
    const kind = byId.get(node)!.kind;
    for (let cur: string | null = g; cur; cur = groups.get(cur)!.parent) {
      const k = groups.get(cur)!.kinds;
      k[kind] = (k[kind] ?? 0) + 1;
    }
  }
  return { groups, groupOf, rootGroups: outRootGroups, rootNodes: outRootNodes };
}

/** The groups a node sits in, outermost first. */
function chainOf(n: GraphNodeDto, pipelines: ReadonlySet<string>, jobOfRun: ReadonlyMap<string, string>, byId: ReadonlyMap<string, GraphNodeDto>): Segment[] {
  if (n.kind === 'job') return jobChain(n.id.slice(4), n.pipeline, pipelines);
  if (n.kind === 'run') {
    const jobId = jobOfRun.get(n.id);
    const job = jobId ? byId.get(jobId) : undefined;
    if (!jobId || !job) return [];
    return [...jobChain(jobId.slice(4), job.pipeline, pipelines), { id: `group:runs:${jobId.slice(4)}`, kind: 'runs', label: `${job.label} runs` }];
  }
  if (n.kind === 'code' || n.kind === 'environment') {
    if (!n.id.startsWith('artifact:')) return [{ id: `group:kind:${n.kind}`, kind: 'kind', label: n.kind === 'code' ? 'code versions' : 'environments' }];
  }
  return folderChain(n.label);
}

/** namespace › pipeline › dotted prefixes of the name (`team3.etl.load` → `team3`, `team3.etl`). */
function jobChain(ref: string, pipeline: string | undefined, pipelines: ReadonlySet<string>): Segment[] {
  const slash = ref.lastIndexOf('/');
  const ns = slash > 0 ? ref.slice(0, slash) : '';
  const name = ref.slice(slash + 1);
  const out: Segment[] = [];
  if (ns) out.push({ id: `group:ns:${ns}`, kind: 'namespace', label: ns });
  // A pipeline's own job sits in the group of its stages.
  const pipe = pipeline ?? (pipelines.has(ref) ? ref : undefined);
  if (pipe) out.push({ id: `group:pipe:${pipe}`, kind: 'pipeline', label: pipe.slice(pipe.lastIndexOf('/') + 1) });
  const parts = name.split('.');
  for (let i = 1; i < parts.length; i++) {
    const prefix = parts.slice(0, i).join('.');
    // `team3.job_1` in namespace `team3` would repeat the namespace as a group.
    if (i === 1 && prefix === ns) continue;
    out.push({ id: `group:dot:${ns}|${pipe ?? ''}|${prefix}`, kind: 'prefix', label: prefix });
  }
  return out;
}

/** Folders of a path-like label; `s3://bucket/a/b.parquet` → `s3://bucket`, `s3://bucket/a`. */
function folderChain(label: string): Segment[] {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(label);
  const head = scheme ? scheme[0] : '';
  const rest = (scheme ? label.slice(head.length) : label).split('/').filter(Boolean);
  const out: Segment[] = [];
  let path = head;
  if (head) out.push({ id: `group:dir:${head}`, kind: 'folder', label: head });
  for (let i = 0; i < rest.length - 1; i++) {
    path = path ? `${path}/${rest[i]}` : rest[i]!;
    out.push({ id: `group:dir:${path}`, kind: 'folder', label: rest[i]! });
  }
  return out;
}

function joinLabel(prefix: string, seg: Segment): string {
  if (seg.kind === 'folder') return `${prefix}/${seg.label}`;
  // A pipeline named like its namespace (`churn-daily` in `churn-daily`) is said once.
  if (seg.label === prefix) return prefix;
  if (seg.kind === 'prefix' && seg.label.startsWith(prefix)) return seg.label;
  return `${prefix} › ${seg.label}`;
}

/** The group ids from the top down to the node's innermost group. */
export function ancestry(tree: GroupTree, nodeId: string): string[] {
  const out: string[] = [];
  for (let g = tree.groupOf.get(nodeId); g; g = tree.groups.get(g)!.parent ?? undefined) out.push(g);
  return out.reverse();
}
