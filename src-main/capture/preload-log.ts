import fs from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { OpenMode, RawOp, TraceNote } from './syscall-ops';

/**
 * Parses the log written by the LD_PRELOAD interposer (interposer/, format in interposer.h) into
 * the same raw ops the strace path produces, so classification and everything after it is shared.
 * One record per line, tab-separated: `pid  time_us  op  flags  path [path2]`; paths are
 * absolute with `\\`, `\t`, `\n` escaped. Only successful calls are logged. Records that are not
 * file operations (handoff, lost, uring, nosud) come back as notes. Pure, so it is unit-tested on
 * lines.
 */
export function parsePreloadLine(line: string, cwd: string): RawOp | TraceNote | null {
  // indexOf rather than split: a busy command logs hundreds of thousands of lines.
  const t1 = line.indexOf('\t');
  const t2 = line.indexOf('\t', t1 + 1);
  const t3 = line.indexOf('\t', t2 + 1);
  const t4 = line.indexOf('\t', t3 + 1);
  if (t1 < 0 || t2 < 0 || t3 < 0 || t4 < 0) return null;
  const pid = Number(line.slice(0, t1));
  const usec = Number(line.slice(t1 + 1, t2));
  // Milliseconds with the microseconds kept as a fraction: ops of different processes and of
  // strace subtrees are merged by time.
  const at = Number.isFinite(usec) ? usec / 1000 : 0;
  const op = line.slice(t2 + 1, t3);
  const flags = line.slice(t3 + 1, t4);
  const t5 = line.indexOf('\t', t4 + 1);
  const p = normalise(line.slice(t4 + 1, t5 < 0 ? line.length : t5), cwd);
  if (p === null) return null;
  const second = (): string | null => (t5 < 0 ? null : normalise(line.slice(t5 + 1), cwd));
  switch (op) {
    case 'open': {
      const via = second();
      const existed = flags.includes('e') ? true : flags.includes('n') ? false : undefined;
      return { kind: 'open', path: p, at, mode: openModeFromLetters(flags), ...(via !== null && via !== p ? { via } : {}), ...(existed !== undefined ? { existed } : {}) };
    }
    case 'trunc':
      return { kind: 'truncate', path: p, at };
    case 'unlink':
      return { kind: 'delete', path: p, at };
    case 'rmdir':
      return { kind: 'rmdir', path: p, at };
    case 'mkdir':
      return { kind: 'mkdir', path: p, at };
    case 'link': {
      const from = second();
      return { kind: 'link', path: p, at, ...(from !== null ? { from } : {}), ...(flags === 's' ? { symbolic: true } : {}) };
    }
    case 'exec':
      return { kind: 'exec', path: p, at };
    case 'load':
      return { kind: 'load', path: p, at };
    case 'rename': {
      const from = second();
      return from === null ? null : { kind: 'rename', path: p, from, at, replaced: flags.includes('o') };
    }
    case 'exchange': {
      const other = second();
      return other === null ? null : { kind: 'exchange', path: p, other, at };
    }
    case 'handoff': {
      const t6 = t5 < 0 ? -1 : line.indexOf('\t', t5 + 1);
      const log = t5 < 0 ? null : normalise(line.slice(t5 + 1, t6 < 0 ? line.length : t6), cwd);
      const program = t6 < 0 ? null : normalise(line.slice(t6 + 1), cwd);
      return log === null ? null : { kind: 'handoff', pid, cwd: p, log, program: program ?? '' };
    }
    case 'lost':
      return { kind: 'lost', pid, why: flags, path: p };
    case 'uring':
      return { kind: 'uring', pid, path: p };
    case 'nosud':
      return { kind: 'nosud', pid, why: flags };
    default:
      return null;
  }
}

const NOTE_KINDS = new Set(['handoff', 'lost', 'uring', 'nosud']);

export function isTraceNote(x: RawOp | TraceNote): x is TraceNote {
  return NOTE_KINDS.has(x.kind);
}

/**
 * Reads a growing interposer log incrementally: `pump()` parses every complete line written so
 * far (called while the command runs, so parsing overlaps it), `finish()` the rest.
 */
export class PreloadLogReader {
  readonly ops: RawOp[] = [];
  readonly notes: TraceNote[] = [];
  sawExec = false;
  private offset = 0;
  private rest = '';
  private readonly buf = Buffer.alloc(1 << 20);
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly fd: number,
    private readonly cwd: string,
  ) {}

  pump(): void {
    for (;;) {
      const n = fs.readSync(this.fd, this.buf, 0, this.buf.length, this.offset);
      if (n <= 0) return;
      this.offset += n;
      const text = this.rest + this.decoder.write(this.buf.subarray(0, n));
      const lines = text.split('\n');
      this.rest = lines.pop()!;
      for (const l of lines) this.push(l);
    }
  }

  finish(): RawOp[] {
    this.pump();
    const tail = this.rest + this.decoder.end();
    this.rest = '';
    if (tail) this.push(tail);
    return this.ops;
  }

  private push(line: string): void {
    const op = parsePreloadLine(line, this.cwd);
    if (!op) return;
    if (isTraceNote(op)) {
      this.notes.push(op);
      if (op.kind === 'handoff') this.sawExec = true;
      return;
    }
    if (op.kind === 'exec') this.sawExec = true;
    this.ops.push(op);
  }
}

/** `rwcxtadT` letters (read, write, create, exclusive, truncate, append, directory, O_TMPFILE) → OpenMode. */
export function openModeFromLetters(letters: string): OpenMode {
  const has = (c: string): boolean => letters.includes(c);
  return { read: has('r'), write: has('w'), create: has('c'), exclusive: has('x'), truncate: has('t'), append: has('a'), directory: has('d'), tmpfile: has('T') };
}

/** Absolute paths that need no normalising: no `.`/`..` segment, no `//`, no trailing `/`. */
const PLAIN_ABSOLUTE = /^\/(?!.*(?:\/\/|\/\.\.?(?:\/|$)|\/$))/s;

function normalise(escaped: string, cwd: string): string | null {
  if (escaped === '') return null;
  let p = unescape(escaped);
  if (PLAIN_ABSOLUTE.test(p) && !p.endsWith(' (deleted)')) return p;
  // readlink of /proc/self/fd/N names a removed directory "… (deleted)", as strace's -y does.
  if (p.endsWith(' (deleted)')) p = p.slice(0, -' (deleted)'.length);
  return path.resolve(cwd, p);
}

function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(.)/g, (_m, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c));
}
