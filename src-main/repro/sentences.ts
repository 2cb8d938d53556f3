/**
 * Every sentence the reproducibility check and the re-run staleness check say, one template
 * each, so a test can render all of them and read them as English (no stray bracket, no
 * doubled word, a full stop at the end). A "changed" template shortens its two versions
 * together, so both sides never show the same short hash.
 */
import { shortHash, shortPair } from '../../shared/short-hash';
import { type PackageChange, summarizeChanges } from './env-diff';

const commits = (n: number) => `${n} ${n === 1 ? 'commit' : 'commits'}`;
/**
 * Re-run plans show 8-character digests without `sha256:` (`1a2b3c4d → 9f8e7d6c`), lengthened
 * only to differ; other schemes (`sampled-sha256:`, `run:`) stay, since they say what the value is.
 */
const plainOpts = (v: string) => ({ scheme: !v.startsWith('sha256:'), mark: '' });
const bare = (before: string, after: string) => shortPair(before, after, plainOpts(before));

/** Whole sentences (each ends with a full stop). */
export const REPRO_SENTENCES = {
  codeChanged: (p: { reasons: readonly string[] }) => `Code changed since the run: ${p.reasons.join('; ')}.`,
  environmentChanged: (p: { reasons: readonly string[] }) => `Environment changed since the run: ${p.reasons.join('; ')}.`,
  tableCommitsAfterPinned: (p: { artifact: string; pinned: number; now: number }) =>
    `${p.artifact} has ${commits(p.now - p.pinned)} after the pinned version ${p.pinned} (now ${p.now}).`,
  inputChanged: (p: { artifact: string; recorded: string; now: string }) => {
    const s = shortPair(p.recorded, p.now);
    return `${p.artifact} changed since the run (${s.before} → ${s.after}).`;
  },
  inputMissingRead: (p: { artifact: string; recorded: string }) => `${p.artifact} no longer exists (the run read ${shortHash(p.recorded)}).`,
  inputMissing: (p: { artifact: string }) => `${p.artifact} no longer exists.`,
  inputNewer: (p: { artifact: string; recorded: string; now: string }) => {
    const s = shortPair(p.recorded, p.now);
    return `${p.artifact} has a newer version ${s.after} (the run read ${s.before}).`;
  },
  // Why a stage is stale in a re-run plan (stale-check.ts).
  tableCommitsAfterRead: (p: { artifact: string; read: string; commits: number }) =>
    `${p.artifact} has ${commits(p.commits)} after version ${p.read}, which the run read.`,
  editedSinceRead: (p: { artifact: string; code: boolean; recorded: string; now: string }) => {
    const s = bare(p.recorded, p.now);
    return `${p.artifact} ${p.code ? 'was edited' : 'changed'} since the run read it (${s.before} → ${s.after}).`;
  },
  goneSinceRead: (p: { artifact: string; recorded: string }) => `${p.artifact} no longer exists (the run read ${shortHash(p.recorded, plainOpts(p.recorded))}).`,
  newerSinceRead: (p: { artifact: string; recorded: string; now: string }) => {
    const s = bare(p.recorded, p.now);
    return `${p.artifact} has a newer version ${s.after} (the run read ${s.before}).`;
  },
} as const;

/** The parts joined into "Code changed since the run: …" and "Environment changed since the run: …". */
export const REPRO_REASONS = {
  git: (p: { recorded: string; now: string }) => {
    const s = shortPair(p.recorded, p.now, { digits: 7, mark: '' });
    return `git ${s.before} → ${s.after}`;
  },
  uncommittedAppeared: () => 'the working tree now has uncommitted changes',
  uncommittedChanged: () => "the uncommitted changes differ from the run's",
  uncommittedGone: () => 'the uncommitted changes the run had are gone',
  codeFiles: (p: { files: readonly { path: string; change: 'modified' | 'missing' }[] }) =>
    p.files.slice(0, 3).map((f) => `${f.path} ${f.change}`).join(', ') + (p.files.length > 3 ? ` and ${p.files.length - 3} more` : ''),
  os: (p: { recorded: string; now: string }) => `OS ${p.recorded} → ${p.now}`,
  arch: (p: { recorded: string; now: string }) => `architecture ${p.recorded} → ${p.now}`,
  interpreterGone: (p: { executable: string }) => `the interpreter ${p.executable} is gone`,
  python: (p: { recorded: string; now: string }) => `Python ${p.recorded} → ${p.now}`,
  packages: (p: { changes: readonly PackageChange[] }) => summarizeChanges(p.changes),
} as const;
