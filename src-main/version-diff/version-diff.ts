import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { OutputDiffDto, RunRefDto, TableCommitSummaryDto, VersionDiffDto, VersionRefDto } from '../../shared/version-diff-dto';
import type { ContentStore } from '../content-store/content-store';
import type { ReadableDb } from '../db/open-db';
import { tableHistory } from '../lake/table-api';
import type { LineageEngine } from '../lineage/read-models/lineage-engine';
import { DIFFABLE, diffDataFile } from '../repro/data-diff';
import { alignChains, roleOf } from './align';
import { buildChain, type Chain, type ChainRun } from './chain';
import { compareStage, type CompareContext } from './compare-stage';
import { diffSummary } from './diff-summary';

/**
 * `retrace diff A B` (issue 15): what changed between two artifact versions, along both
 * provenance chains. Builds each chain, aligns them stage by stage (align.ts), compares each
 * aligned pair (compare-stage.ts), names the stages one side only has, compares the metric
 * files of the two versions key by key, and puts one summary line on top.
 */
export interface VersionDiffDeps {
  readonly engine: LineageEngine;
  readonly db: ReadableDb;
  readonly workspaceRoot: string;
  readonly store: ContentStore;
}

const METRIC_FILE = /(metric|score|eval|result)[^/]*$/i;
const DISK_READ_LIMIT = 8 * 1024 * 1024;

export function diffVersions(deps: VersionDiffDeps, a: VersionRefDto, b: VersionRefDto): VersionDiffDto {
  deps.engine.refresh();
  const ca = buildChain(deps.engine, deps.db, a);
  const cb = buildChain(deps.engine, deps.db, b);
  if (!ca.heads.length && !cb.heads.length) throw new AppError('NOT_FOUND', `Neither ${ca.label} nor ${cb.label} was made by a recorded run: there is no provenance to compare.`);
  const pairs = alignChains(ca, cb);
  const aligned = new Set(pairs.map((p) => `${p.a.id}:${p.b.id}`));
  const ctx = compareContext(deps, ca, cb, aligned);
  // Upstream first; within a depth, in the order the stages ran.
  const order = new Map(pairs.map((p) => [p.b.ref.run, p.b.io.firstSeq]));
  const stages = pairs.map((p) => compareStage(p, ctx)).sort((x, y) => y.depth - x.depth || order.get(x.b.run)! - order.get(y.b.run)!);

  const jobsOf = (c: Chain) => new Set([...c.runs.values()].map((r) => r.io.jobName).filter((j): j is string => j !== null));
  const ja = jobsOf(ca);
  const jb = jobsOf(cb);
  const only = (c: Chain, other: Set<string>) => {
    const m = new Map<string, RunRefDto[]>();
    for (const r of byTime(c)) if (r.io.jobName && !other.has(r.io.jobName)) m.set(r.io.jobName, [...(m.get(r.io.jobName) ?? []), r.ref]);
    return [...m].map(([stage, runs]) => ({ stage, runs }));
  };
  const onlyA = only(ca, jb);
  const onlyB = only(cb, ja);
  const pairedA = new Set(pairs.map((p) => p.a.id));
  const pairedB = new Set(pairs.map((p) => p.b.id));
  const unaligned = (c: Chain, paired: Set<number>, other: Chain, otherJobs: Set<string>) =>
    byTime(c).filter((r) => !paired.has(r.id) && !other.runs.has(r.id) && r.io.jobName !== null && otherJobs.has(r.io.jobName)).map((r) => r.ref);

  const labelA = a.version ? `${ca.label}@${ca.version}` : ca.label;
  const labelB = b.version ? `${cb.label}@${cb.version}` : cb.label;
  return {
    a: { artifact: ca.label, version: ca.version },
    b: { artifact: cb.label, version: cb.version },
    summary: diffSummary(stages, { a: onlyA.map((o) => o.stage), b: onlyB.map((o) => o.stage) }, { a: labelA, b: labelB }),
    stages,
    onlyA,
    onlyB,
    unaligned: { a: unaligned(ca, pairedA, cb, jb), b: unaligned(cb, pairedB, ca, ja) },
    outputs: metricDiffs(ca, cb, ctx),
    chains: { a: ca.nodeIds, b: cb.nodeIds },
  };
}

function byTime(c: Chain): ChainRun[] {
  return [...c.runs.values()].sort((x, y) => x.io.firstSeq - y.io.firstSeq);
}

function compareContext(deps: VersionDiffDeps, ca: Chain, cb: Chain, aligned: ReadonlySet<string>): CompareContext {
  const sizeStmt = deps.db.prepare('SELECT size FROM artifact_versions WHERE id = ?').pluck();
  const histories = new Map<string, ReturnType<typeof tableHistory> | null>();
  return {
    content: (hash, p) => deps.store.read(hash) ?? fromWorkspace(deps.workspaceRoot, hash, p),
    size: (id) => (sizeStmt.get(id) as number | null | undefined) ?? null,
    tableCommits: (tablePath, from, to) => {
      const dir = path.resolve(deps.workspaceRoot, tablePath);
      if (!histories.has(dir)) {
        try {
          histories.set(dir, tableHistory(dir));
        } catch {
          histories.set(dir, null);
        }
      }
      const h = histories.get(dir);
      if (!h) return { commits: [], note: 'The table is no longer there to list its commits.' };
      const commits: TableCommitSummaryDto[] = h.filter((c) => c.version > from && c.version <= to).map((c) => ({ version: c.version, operation: c.operation, rowsInserted: c.rowsInserted, rowsUpdated: c.rowsUpdated, rowsDeleted: c.rowsDeleted }));
      return commits.length === to - from ? { commits } : { commits, note: 'Some of these commits are no longer in the table\'s log.' };
    },
    nodeId: (id) => deps.engine.catalog.artifact(id).nodeId,
    producerA: (id) => (id === null ? undefined : ca.runs.get(id)),
    producerB: (id) => (id === null ? undefined : cb.runs.get(id)),
    aligned: (x, y) => aligned.has(`${x.id}:${y.id}`),
  };
}

/** A version's bytes from the workspace, when the file there still has exactly that content. */
function fromWorkspace(root: string, hash: string, p: string | null): Buffer | null {
  if (!p) return null;
  const abs = path.resolve(root, p);
  try {
    if (fs.statSync(abs).size > DISK_READ_LIMIT) return null;
    const buf = fs.readFileSync(abs);
    return `sha256:${crypto.createHash('sha256').update(buf).digest('hex')}` === hash ? buf : null;
  } catch {
    return null;
  }
}

/** The metric files of the two versions (metrics.json, scores.csv, …), aligned by role, key by key. */
function metricDiffs(ca: Chain, cb: Chain, ctx: CompareContext): OutputDiffDto[] {
  const metrics = (c: Chain) => c.files.filter((f) => DIFFABLE.test(f.label) && METRIC_FILE.test(f.label));
  const ma = metrics(ca);
  const mb = new Map(metrics(cb).map((f) => [roleOf(f.label.slice(cb.label.length)), f]));
  const out: OutputDiffDto[] = [];
  for (const fa of ma) {
    const role = roleOf(fa.label.slice(ca.label.length));
    const fb = mb.get(role);
    mb.delete(role);
    if (!fb) {
      out.push({ a: fa.label, b: null, changes: [], moreChanges: 0, note: `Only ${ca.label} has it.` });
      continue;
    }
    const ba = ctx.content(fa.version, fa.label);
    const bb = ctx.content(fb.version, fb.label);
    if (!ba || !bb) {
      out.push({ a: fa.label, b: fb.label, changes: [], moreChanges: 0, note: fa.version === fb.version ? 'The same content.' : 'Not both versions are in the content store: compared by hash.' });
      continue;
    }
    const d = diffDataFile(fb.label, ba, bb, 20);
    out.push('note' in d ? { a: fa.label, b: fb.label, changes: [], moreChanges: 0, note: d.note } : { a: fa.label, b: fb.label, changes: d.changes, moreChanges: d.total - d.changes.length });
  }
  for (const fb of mb.values()) out.push({ a: null, b: fb.label, changes: [], moreChanges: 0, note: `Only ${cb.label} has it.` });
  return out;
}
