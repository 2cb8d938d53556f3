import yaml from 'js-yaml';
import type { CodeFileDiffDto, ConfigDiffDto, EnvComparisonDto, InputCause, InputDiffDto, RunRefDto, StageDiffDto, TableCommitSummaryDto } from '../../shared/version-diff-dto';
import { DIFFABLE, diffDataFile, diffValues } from '../repro/data-diff';
import { diffPackages, summarizeChanges } from '../repro/env-diff';
import type { RecordedEnvironment } from '../repro/recorded-run';
import type { IoEntry } from '../repro/run-io';
import { short } from '../repro/stale-check';
import { ecosystemOf } from '../repro/version-compare';
import { alignInputs, type RunPair } from './align';
import { argDiffs } from './argv-roles';
import type { ChainRun } from './chain';
import { unifiedDiff } from './text-diff';

/**
 * One aligned pair of runs compared on every axis (issue 15): code (git sha, each code file it
 * ran, with a unified diff when both texts are in the content store), parameters (argv, and
 * JSON / YAML config files it read, key by key), environment (interpreter, OS, packages) and
 * input data (tables: the commits between the versions read, with row counts; files: sizes and
 * the values or lines that differ when both versions are stored and small).
 */
export interface CompareContext {
  /** A version's bytes: the content store's copy, or the workspace's when it still holds that version. */
  content(hash: string, path: string | null): Buffer | null;
  size(versionId: number): number | null;
  tableCommits(tablePath: string, from: number, to: number): { commits: TableCommitSummaryDto[]; note?: string };
  nodeId(artifactId: number): string;
  /** The chain run that made a version (reads carry their producer), if it is in that chain. */
  producerA(id: number | null): ChainRun | undefined;
  producerB(id: number | null): ChainRun | undefined;
  /** Whether two runs were compared as an aligned pair. */
  aligned(a: ChainRun, b: ChainRun): boolean;
}

const CONFIG_FILE = /\.(json|ya?ml)$/i;
const TEXT_LIMIT = 1024 * 1024;

export function compareStage(p: RunPair, ctx: CompareContext): StageDiffDto {
  const code = compareCode(p, ctx);
  const args = argDiffs(p.a.io, p.b.io);
  const codePaths = new Set([...(p.a.rec.code?.files ?? []), ...(p.b.rec.code?.files ?? [])].map((f) => f.path));
  const isCode = (e: IoEntry) => e.kind === 'code' || codePaths.has(e.label);
  const pairs = alignInputs([...p.a.io.reads.values()].filter((e) => !isCode(e)), [...p.b.io.reads.values()].filter((e) => !isCode(e)));
  const configs: ConfigDiffDto[] = [];
  const inputs: InputDiffDto[] = [];
  let sameInputs = 0;
  for (const i of pairs) {
    if (i.a && i.b && i.a.version === i.b.version) {
      sameInputs++;
      continue;
    }
    const config = configDiff(i.a, i.b, p, ctx);
    if (config) configs.push(config);
    else inputs.push(inputDiff(i.a, i.b, p, ctx));
  }
  const environment = compareEnvironments(p.a.rec.environment, p.b.rec.environment);
  const same = !code.changed && args.length === 0 && configs.length === 0 && environment.same && inputs.every((x) => x.cause !== 'source');
  return {
    stage: p.a.io.jobName ?? '?',
    a: p.a.ref,
    b: p.b.ref,
    depth: Math.max(p.a.depth, p.b.depth),
    same,
    code,
    parameters: { argvA: p.a.io.argv, argvB: p.b.io.argv, args, configs },
    environment,
    inputs,
    sameInputs,
  };
}

function compareCode(p: RunPair, ctx: CompareContext): StageDiffDto['code'] {
  const fa = new Map((p.a.rec.code?.files ?? []).map((f) => [f.path, f.hash]));
  const fb = new Map((p.b.rec.code?.files ?? []).map((f) => [f.path, f.hash]));
  const files: CodeFileDiffDto[] = [];
  for (const path of [...new Set([...fa.keys(), ...fb.keys()])].sort()) {
    const a = fa.get(path) ?? null;
    const b = fb.get(path) ?? null;
    if (a === b) continue;
    const change = a === null ? 'added' : b === null ? 'removed' : 'changed';
    const ta = a === null ? '' : text(ctx.content(a, path));
    const tb = b === null ? '' : text(ctx.content(b, path));
    const d = ta !== null && tb !== null ? unifiedDiff(ta, tb, { a: path, b: path }) : null;
    files.push({
      path,
      change,
      a: a && short(a),
      b: b && short(b),
      added: d?.added ?? null,
      removed: d?.removed ?? null,
      diff: d?.text ?? null,
      ...(d ? {} : { note: ta === null || tb === null ? 'The text of one version is not in the content store: compared by hash.' : 'Too different to show line by line.' }),
    });
  }
  const gitA = p.a.rec.code?.gitSha ?? null;
  const gitB = p.b.rec.code?.gitSha ?? null;
  // A stage that recorded no code files is judged by its git sha alone; one that did, by its files
  // (a commit elsewhere in the repository does not change this stage's code).
  const recordedFiles = fa.size > 0 || fb.size > 0;
  return { gitA, gitB, files, changed: files.length > 0 || (!recordedFiles && gitA !== gitB) };
}

function text(buf: Buffer | null): string | null {
  if (!buf || buf.length > TEXT_LIMIT || buf.includes(0)) return null;
  return buf.toString('utf8');
}

/** A JSON or YAML file the stage read from outside the chain (no run made it): its configuration. */
function configDiff(a: IoEntry | null, b: IoEntry | null, p: RunPair, ctx: CompareContext): ConfigDiffDto | null {
  const e = a ?? b!;
  if (!CONFIG_FILE.test(e.label) || (a && ctx.producerA(a.producer)) || (b && ctx.producerB(b.producer))) return null;
  if ((a && p.a.io.writes.has(a.artifactId)) || (b && p.b.io.writes.has(b.artifactId))) return null;
  const base = { file: (a ?? b)!.label, ...(a && b && a.label !== b.label ? { fileB: b.label } : {}) };
  const parse = (x: IoEntry | null): unknown => {
    if (!x) return {};
    const buf = x.versionKind === 'hash' ? ctx.content(x.version, x.path) : null;
    if (!buf) throw new Error('not in the content store');
    return /\.json$/i.test(x.label) ? JSON.parse(buf.toString('utf8')) : yaml.load(buf.toString('utf8'));
  };
  try {
    const d = diffValues(parse(a), parse(b), 20);
    return { ...base, changes: d.changes, moreChanges: d.total - d.changes.length };
  } catch (err) {
    return { ...base, changes: [], moreChanges: 0, note: `Compared by hash (${(err as Error).message.split('\n')[0]}).` };
  }
}

function inputDiff(a: IoEntry | null, b: IoEntry | null, p: RunPair, ctx: CompareContext): InputDiffDto {
  const e = (b ?? a)!;
  const table = [a, b].some((x) => x?.versionKind === 'dataset_version');
  const ref = (r: ChainRun | undefined): RunRefDto | null => r?.ref ?? null;
  const ra = a ? ctx.producerA(a.producer) : undefined;
  const rb = b ? ctx.producerB(b.producer) : undefined;
  const own = (a !== null && p.a.io.writes.has(a.artifactId)) || (b !== null && p.b.io.writes.has(b.artifactId));
  const cause: InputCause = own ? 'own-history' : a && b && ra && rb && ctx.aligned(ra, rb) ? 'upstream' : 'source';
  const base = {
    artifact: e.label,
    ...(a && b && a.label !== b.label ? { artifactA: a.label } : {}),
    kind: table ? ('table' as const) : e.path === null ? ('dataset' as const) : ('file' as const),
    change: a && b ? ('changed' as const) : a ? ('only-a' as const) : ('only-b' as const),
    versionA: a ? label(a) : null,
    versionB: b ? label(b) : null,
    cause,
    producedByA: ref(ra),
    producedByB: ref(rb),
    nodeId: ctx.nodeId(e.artifactId),
  };
  if (table && a && b && /^\d+$/.test(a.version) && /^\d+$/.test(b.version) && e.path) {
    const from = Math.min(Number(a.version), Number(b.version));
    const to = Math.max(Number(a.version), Number(b.version));
    return { ...base, table: { from, to, ...ctx.tableCommits(e.path, from, to) } };
  }
  if (table || !a || !b) return { ...base, ...(!table ? { file: { sizeA: a ? ctx.size(a.versionId) : null, sizeB: b ? ctx.size(b.versionId) : null } } : {}) };
  return { ...base, file: fileDiff(a, b, ctx) };
}

function fileDiff(a: IoEntry, b: IoEntry, ctx: CompareContext): NonNullable<InputDiffDto['file']> {
  const sizes = { sizeA: ctx.size(a.versionId), sizeB: ctx.size(b.versionId) };
  const ba = a.versionKind === 'hash' ? ctx.content(a.version, a.path) : null;
  const bb = b.versionKind === 'hash' ? ctx.content(b.version, b.path) : null;
  if (!ba || !bb || ba.length > TEXT_LIMIT || bb.length > TEXT_LIMIT) return { ...sizes, note: ba && bb ? 'Too large to compare line by line.' : 'Not both versions are in the content store: compared by hash and size.' };
  if (DIFFABLE.test(b.label)) {
    const d = diffDataFile(b.label, ba, bb, 10);
    if (!('note' in d)) return { ...sizes, changes: d.changes, moreChanges: d.total - d.changes.length };
  }
  const ta = text(ba);
  const tb = text(bb);
  const u = ta !== null && tb !== null ? unifiedDiff(ta, tb, { a: a.label, b: b.label }, { maxEdits: 400 }) : null;
  return u ? { ...sizes, diff: u.text, added: u.added, removed: u.removed } : { ...sizes, note: 'Binary or too different to show line by line.' };
}

function label(e: IoEntry): string {
  return e.versionKind === 'dataset_version' && /^\d+$/.test(e.version) ? `v${e.version}` : short(e.version);
}

export function compareEnvironments(a: RecordedEnvironment | null, b: RecordedEnvironment | null): EnvComparisonDto {
  const interp = (e: RecordedEnvironment | null) => (e?.interpreter ? `${e.interpreter} ${e.interpreterVersion ?? ''}`.trim() : null);
  const packages = a && b ? diffPackages(a.packages, b.packages, ecosystemOf(a.interpreter ?? b.interpreter)) : [];
  const parts: string[] = [];
  if (a && b && interp(a) !== interp(b)) parts.push(`${interp(a) ?? 'no interpreter recorded'} → ${interp(b) ?? 'no interpreter recorded'}`);
  if (a && b && (a.os !== b.os || a.arch !== b.arch)) parts.push(`${a.os}/${a.arch} → ${b.os}/${b.arch}`);
  if (packages.length) parts.push(summarizeChanges(packages));
  return {
    a: { interpreter: interp(a), os: a?.os ?? null, arch: a?.arch ?? null },
    b: { interpreter: interp(b), os: b?.os ?? null, arch: b?.arch ?? null },
    packages,
    same: parts.length === 0,
    summary: parts.length ? parts.join('; ') : 'the same environment',
  };
}
