/**
 * One ingest session over a DB: reads each source from its committed offset, parses, folds
 * and commits batches together with the new offsets (exactly-once across crashes). Used by
 * `ingestOnce` (one pass) and by the tailer (a pass per change). Synchronous by design: a
 * pass is a tight read → parse → write loop, and better-sqlite3 is synchronous anyway.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IngestProgressDto } from '../../shared/dto';
import { AppError } from '../../shared/errors';
import type { WritableDb } from '../db/open-db';
import type { WorkspacePaths } from '../workspace/workspace-paths';
import { RecordApplier } from './apply';
import { type BatchSink, InlineSink, ThreadSink } from './batch-sink';
import { readProvenanceConfig } from './config';
import { ArtifactClassifier } from './naming';
import { parseProvenanceLine, parseProvenanceValue } from './parse-line';
import { exceedsDepth, firstInvalidUtf8, invalidUtf8, isWholeJson } from './line-checks';
import { type ParseResult, type ProvenanceRecord, printable } from './records';
import type { SourceSpec } from './sources';
import type { BatchSummary, CacheLimits, SourceState } from './entities';
import { ProvenanceStore } from './store';

/** A line longer than this is rejected (and skipped) rather than buffered. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;
/** Deeper JSON is rejected up front: it would overflow the stack when re-serialised. */
export const MAX_JSON_DEPTH = 256;
const READ_CHUNK = 1024 * 1024;
/** How much of a file's beginning identifies its content (see `checkIdentity`). */
const HEAD_BYTES = 256;

export interface PassOptions {
  /** Commit after this many events (or rejected lines). */
  readonly batchEvents: number;
  /** Also commit when this much time passed since the last commit (freshness). */
  readonly commitIntervalMs?: number;
  /** A per-event file younger than this that does not parse is assumed half-written. */
  readonly settleMs: number;
  readonly onProgress?: (p: IngestProgressDto) => void;
  readonly onCommit?: (s: BatchSummary) => void;
  /** Stop (after committing) once this `Date.now()` is passed, so a tailer can yield to the event loop. */
  readonly deadline?: number;
}

export interface PassTotals extends BatchSummary {
  files: number;
  rejectedLines: { file: string; line: number; reason: string }[];
  waiting: { file: string; bytes: number }[];
  /** True when the pass stopped at its deadline with input left. */
  more: boolean;
  /** True when another process moved an offset under us: reopen a session and pass again. */
  conflict: boolean;
}

export class IngestSession {
  readonly store: ProvenanceStore;
  private readonly applier: RecordApplier;
  private buf = Buffer.allocUnsafe(READ_CHUNK);
  private lastCommit = Date.now();
  private lastProgress = 0;
  private totals!: PassTotals;
  private opts!: PassOptions;
  private progress = { file: '', bytesRead: 0, bytesTotal: 0 };
  /** Rejected lines of the batch not yet committed (reported only once committed). */
  private batchRejected: { file: string; line: number; reason: string }[] = [];
  /** A batch handed to a writer thread, counted once it is known to be committed. */
  private awaiting: { s: BatchSummary; rejected: { file: string; line: number; reason: string }[] } | null = null;
  private readonly sink: BatchSink;

  /**
   * `writer: 'thread'` writes batches on a writer thread while the next one is read and folded
   * (a long backlog); the default writes each batch before going on (small passes, the tailer).
   * `sink` replaces both (the bench's fold-only measurement drops the batches); `cacheLimits`
   * (tests) how many entities stay cached.
   */
  constructor(db: WritableDb, readonly paths: WorkspacePaths, opts: { writer?: 'inline' | 'thread'; sink?: BatchSink; cacheLimits?: CacheLimits } = {}) {
    this.sink = opts.sink ?? (opts.writer === 'thread' && db.name !== ':memory:' ? new ThreadSink(db.name) : new InlineSink(db));
    this.store = new ProvenanceStore(db, this.sink, opts.cacheLimits);
    const config = readProvenanceConfig(paths);
    this.applier = new RecordApplier(this.store, paths.root, new ArtifactClassifier(config.artifactRules));
  }

  /** File name as reported: workspace-relative when inside it. */
  display(file: string): string {
    const rel = path.relative(this.paths.root, file);
    return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
  }

  pass(specs: readonly SourceSpec[], opts: PassOptions): PassTotals {
    this.opts = opts;
    this.totals = { ...emptyTotals(), files: specs.length, rejectedLines: [], waiting: [], more: false, conflict: false };
    this.batchRejected = [];
    const stats = specs.map((s) => ({ spec: s, st: statOrNull(s.path) }));
    this.progress = { file: '', bytesRead: 0, bytesTotal: 0 };
    for (const { spec, st } of stats) {
      const known = this.store.sources.get(spec.path);
      if (st) this.progress.bytesTotal += Math.max(0, st.size - (known && known.ino === st.ino && st.size >= known.offset ? known.offset : 0));
    }
    for (const { spec, st } of stats) {
      if (!st) continue;
      if (this.totals.more) break;
      this.progress.file = this.display(spec.path);
      const src = this.store.source(spec.path, spec.format);
      if (spec.format === 'lines') this.readLines(src);
      else this.readDocument(src, st);
    }
    if (this.store.hasPending && !this.totals.conflict) this.commit();
    this.settle();
    // A pass that found nothing new says nothing: the tailer polls every second.
    if (this.progress.bytesTotal > 0) opts.onProgress?.({ ...this.progress, events: this.totals.events, done: true });
    return this.totals;
  }

  private checkIdentity(src: SourceState, st: fs.Stats, fd?: number): void {
    // Rotation (a new inode under the same name), truncation (smaller than what we read) or a
    // rewrite in place (the first bytes changed): start over from byte 0; lines seen before
    // are skipped by their content hash.
    const rewritten = fd !== undefined && src.offset > 0 && src.head !== null && headOf(fd, src.head.length) !== src.head.hash;
    if (src.ino !== 0 && (src.ino !== st.ino || src.dev !== st.dev || st.size < src.offset || rewritten)) {
      src.offset = 0;
      src.nextLine = 1;
      src.lastEventAt = null;
      src.head = null;
    }
    if (src.ino !== st.ino || src.dev !== st.dev || src.size !== st.size) this.store.dirtySources.add(src);
    src.dev = st.dev;
    src.ino = st.ino;
    src.size = st.size;
  }

  private readLines(src: SourceState): void {
    let fd: number;
    try {
      fd = fs.openSync(src.path, 'r');
    } catch {
      return;
    }
    try {
      const st = fs.fstatSync(fd);
      this.checkIdentity(src, st, fd);
      const file = this.display(src.path);
      let pos = src.offset;
      for (;;) {
        const n = fs.readSync(fd, this.buf, 0, this.buf.length, pos);
        if (n === 0) break;
        let start = 0;
        // One UTF-8 check for all the whole lines of the chunk; line by line only when it fails.
        const lastNl = this.buf.lastIndexOf(10, n - 1);
        const allValid = lastNl < 0 || isUtf8(this.buf.subarray(0, lastNl));
        // Mostly ASCII: then the chunk is decoded once and its lines are slices of that string
        // (byte and character offsets agree); otherwise each line is decoded on its own.
        const ascii = allValid && lastNl >= 0 && isAscii(this.buf.subarray(0, lastNl)) ? this.buf.toString('latin1', 0, lastNl) : null;
        for (;;) {
          const nl = this.buf.indexOf(10, start);
          if (nl < 0 || nl >= n) break;
          const bad = allValid ? -1 : firstInvalidUtf8(this.buf.subarray(start, nl));
          if (bad >= 0) this.reject(src, file, src.nextLine, invalidUtf8(bad, pos + start + bad), this.buf.toString('utf8', start, nl));
          else this.line(src, file, ascii !== null ? ascii.slice(start, nl) : this.buf.toString('utf8', start, nl), pos + start);
          src.offset = pos + nl + 1;
          src.nextLine++;
          this.store.dirtySources.add(src);
          this.progress.bytesRead += nl + 1 - start;
          start = nl + 1;
          this.maybeCommit();
          if (this.totals.more) break;
        }
        if (this.totals.more) break;
        if (start === 0 && n === this.buf.length) {
          // No newline in a full buffer: grow, or give the line up when it is absurdly long.
          if (this.buf.length < MAX_LINE_BYTES) {
            this.buf = Buffer.allocUnsafe(Math.min(this.buf.length * 4, MAX_LINE_BYTES));
            continue;
          }
          const end = findNewline(fd, pos + n);
          if (end < 0) break;
          this.reject(src, file, src.nextLine, `The line is longer than ${MAX_LINE_BYTES / 1048576} MiB, so it was skipped.`, '');
          this.progress.bytesRead += end + 1 - pos;
          src.offset = end + 1;
          src.nextLine++;
          pos = end + 1;
          continue;
        }
        if (start === 0) {
          // A last line without its newline waits for it, unless the file has settled and the
          // line is a whole JSON value: some producers never end their last line.
          if (n < this.buf.length && Date.now() - st.mtimeMs >= this.opts.settleMs && isWholeJson(this.buf.toString('utf8', 0, n))) {
            this.line(src, file, this.buf.toString('utf8', 0, n), pos);
            src.offset = pos + n;
            src.nextLine++;
            this.store.dirtySources.add(src);
            this.progress.bytesRead += n;
          }
          break;
        }
        pos += start;
      }
      if (!this.totals.more && src.offset < st.size) this.totals.waiting.push({ file, bytes: st.size - src.offset });
      // Remember how the file starts, to recognise a rewrite in place that is not smaller.
      if (src.offset > 0 && (src.head === null || src.head.length < HEAD_BYTES)) {
        const length = Math.min(HEAD_BYTES, src.offset);
        src.head = { length, hash: headOf(fd, length) };
        this.store.dirtySources.add(src);
      }
    } finally {
      fs.closeSync(fd);
      // A long line grew the buffer; do not keep 64 MiB for the rest of the session.
      if (this.buf.length > READ_CHUNK) this.buf = Buffer.allocUnsafe(READ_CHUNK);
    }
  }

  private readDocument(src: SourceState, st: fs.Stats): void {
    if (src.ino === st.ino && src.dev === st.dev && src.size === st.size && src.offset === st.size) return;
    const file = this.display(src.path);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(src.path);
    } catch {
      return;
    }
    const text = bytes.toString('utf8');
    const bad = isUtf8(bytes) ? -1 : firstInvalidUtf8(bytes);
    let value: unknown;
    let error: string | null = bad >= 0 ? invalidUtf8(null, bad)
      : exceedsDepth(text, MAX_JSON_DEPTH) ? `The document is nested deeper than ${MAX_JSON_DEPTH} levels.` : null;
    if (!error) {
      try {
        value = JSON.parse(text);
      } catch (err) {
        // The file transport writes a file in one go; a young file that does not parse may be half-written.
        if (Date.now() - st.mtimeMs < this.opts.settleMs) {
          this.totals.waiting.push({ file, bytes: st.size });
          return;
        }
        error = `The file is not valid JSON (${(err as Error).message.split('\n')[0]!.slice(0, 120)}).`;
      }
    }
    src.offset = 0;
    src.nextLine = 1;
    this.checkIdentity(src, st);
    if (error) this.reject(src, file, 1, error, text);
    else {
      // A JSON array holds one event per element; its "line" is the element's 1-based index.
      const items = Array.isArray(value) ? value : [value];
      items.forEach((v, i) => {
        const canonical = JSON.stringify(v) ?? 'null';
        this.handle(src, file, i + 1, 0, canonical, () => parseProvenanceValue(v));
      });
    }
    src.offset = st.size;
    src.nextLine = 2;
    this.store.dirtySources.add(src);
    this.progress.bytesRead += st.size;
    this.maybeCommit();
  }

  private line(src: SourceState, file: string, raw: string, offset: number): void {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return;
    if (exceedsDepth(text, MAX_JSON_DEPTH)) {
      this.reject(src, file, src.nextLine, `The line is nested deeper than ${MAX_JSON_DEPTH} levels.`, text);
      return;
    }
    this.handle(src, file, src.nextLine, offset, text, () => parseProvenanceLine(text));
  }

  private handle(src: SourceState, file: string, line: number, offset: number, text: string, parse: () => ParseResult): void {
    const hash = crypto.hash('sha1', text, 'base64');
    if (this.store.seenDigests.has(hash)) {
      this.store.summary.duplicates++;
      return;
    }
    const r = parse();
    if (!r.ok) {
      if (r.bug) this.store.warn('parser_bug');
      this.reject(src, file, line, r.reason, text);
      return;
    }
    this.store.seenDigests.add(hash);
    const t = recordTime(r.record);
    if (src.lastEventAt !== null && t < src.lastEventAt) this.store.warn('out_of_event_time_order');
    src.lastEventAt = t;
    this.applier.apply(r.record, r.warnings, { sourceId: src.id, line, offset, hash });
  }

  private reject(src: SourceState, file: string, line: number, reason: string, text: string): void {
    // Control characters would make the excerpt unreadable in a terminal.
    const excerpt = printable(text.slice(0, 160));
    this.store.pending.rejected.push([src.id, file, line, reason, excerpt]);
    this.store.summary.rejected++;
    this.batchRejected.push({ file, line, reason });
  }

  private maybeCommit(): void {
    const p = this.store.pending;
    const due = p.events.count + p.rejected.length >= this.opts.batchEvents
      || (this.opts.commitIntervalMs !== undefined && Date.now() - this.lastCommit >= this.opts.commitIntervalMs && this.store.hasPending);
    if (due) this.commit();
    if (this.totals.conflict) return;
    if (this.opts.deadline !== undefined && Date.now() > this.opts.deadline) {
      if (this.store.hasPending) this.commit();
      this.totals.more = true;
    }
  }

  private commit(): void {
    let s: BatchSummary;
    try {
      // With a writer thread this also learns how the previous batch ended.
      s = this.store.commit(() => this.applier.ftsDocs());
    } catch (err) {
      this.awaiting = null;
      if (!(err instanceof AppError && err.code === 'CONFLICT')) throw err;
      this.totals.conflict = true;
      this.totals.more = true;
      return;
    }
    this.lastCommit = Date.now();
    if (this.awaiting) this.counted(this.awaiting);
    this.awaiting = { s, rejected: this.batchRejected };
    this.batchRejected = [];
    if (this.sink instanceof InlineSink) this.settle();
  }

  /** Waits for the batch in flight, if any, and counts it as committed. */
  private settle(): void {
    if (!this.awaiting) return;
    const last = this.awaiting;
    this.awaiting = null;
    try {
      this.store.drain();
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'CONFLICT')) throw err;
      this.totals.conflict = true;
      this.totals.more = true;
      return;
    }
    this.counted(last);
  }

  private counted(b: { s: BatchSummary; rejected: { file: string; line: number; reason: string }[] }): void {
    for (const k of ['events', 'newRuns', 'newArtifacts', 'newVersions', 'accesses', 'rejected', 'duplicates'] as const) this.totals[k] += b.s[k];
    this.totals.rejectedLines.push(...b.rejected);
    this.opts.onCommit?.(b.s);
    if (this.opts.onProgress && this.progress.bytesTotal > 0 && this.lastCommit - this.lastProgress >= 100) {
      this.lastProgress = this.lastCommit;
      this.opts.onProgress({ ...this.progress, events: this.totals.events, done: false });
    }
  }

  /** Releases the writer thread, if any, after its last batch. */
  close(): void {
    this.sink.close();
  }
}

function recordTime(r: ProvenanceRecord): number {
  return r.kind === 'file_op' || r.kind === 'app_state' ? r.at : r.eventTime;
}

function emptyTotals(): BatchSummary {
  return { events: 0, newRuns: 0, newArtifacts: 0, newVersions: 0, accesses: 0, rejected: 0, duplicates: 0 };
}

function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

function headOf(fd: number, length: number): string {
  const b = Buffer.alloc(length);
  const n = fs.readSync(fd, b, 0, length, 0);
  return crypto.hash('sha1', b.subarray(0, n), 'base64');
}

function findNewline(fd: number, from: number): number {
  const b = Buffer.allocUnsafe(READ_CHUNK);
  for (let pos = from; ; ) {
    const n = fs.readSync(fd, b, 0, b.length, pos);
    if (n === 0) return -1;
    const i = b.indexOf(10);
    if (i >= 0 && i < n) return pos + i;
    pos += n;
  }
}
