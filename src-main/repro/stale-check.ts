import type { CurrentState } from './current-state';
import type { RunIo, RunIoReader } from './run-io';
import { REPRO_SENTENCES } from './sentences';

/**
 * Why a run's outputs are stale, judged against now (one sentence each; empty = fresh):
 * an input it read has a newer version (on disk, or recorded by a later run), is gone, or a
 * code file it ran has changed on disk. Inputs it wrote itself (read-modify-write) are its own
 * output, not a reason. Disk wins where there is a disk to look at: a hand-edited raw file
 * counts although no run recorded it. A table read at a version older than one already known
 * then was pinned on purpose (`training_set.py 4`): its later commits are no reason, since
 * repeating the command would read the same version again.
 */
export async function staleReasonsOf(r: RunIo, io: RunIoReader, now: CurrentState): Promise<string[]> {
  const out: string[] = [];
  for (const [a, e] of r.reads) {
    if (r.writes.has(a)) continue;
    if (e.path) {
      const tableNow = now.deltaVersion(e.path);
      if (tableNow !== null && /^\d+$/.test(e.version)) {
        const n = tableNow - Number(e.version);
        if (n > 0 && !io.newerTableVersionKnownBefore(a, Number(e.version), r.firstSeq)) out.push(REPRO_SENTENCES.tableCommitsAfterRead({ artifact: e.label, read: e.version, commits: n }));
        continue;
      }
      if (e.versionKind === 'hash') {
        if (!now.exists(e.path)) {
          out.push(REPRO_SENTENCES.goneSinceRead({ artifact: e.label, recorded: e.version }));
          continue;
        }
        const v = await now.hash(e.path);
        if (v && v.hash !== e.version) out.push(REPRO_SENTENCES.editedSinceRead({ artifact: e.label, code: e.kind === 'code', recorded: e.version, now: v.hash }));
        continue;
      }
    }
    if (e.kind === 'code') continue;
    const cur = io.current(a);
    if (cur && cur.versionId !== e.versionId && cur.seq > e.seq && cur.producer !== r.id) {
      out.push(REPRO_SENTENCES.newerSinceRead({ artifact: e.label, recorded: e.version, now: cur.version }));
    }
  }
  return out;
}

export const short = (v: string): string => {
  const m = /^(sha256|sampled-sha256):([0-9a-f]+)$/.exec(v);
  if (m) return `${m[1] === 'sha256' ? '' : 'sampled:'}${m[2]!.slice(0, 8)}`;
  return v.startsWith('run:') ? v.slice(0, 12) : v.length > 19 ? v.slice(0, 19) + '…' : v;
};
