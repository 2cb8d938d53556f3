import fs from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { OpenMode, RawOp } from './syscall-ops';

/**
 * Parses the log written by the LD_PRELOAD interposer (interposer/retrace_preload.c) into the
 * same raw ops the strace path produces, so classification and everything after it is shared.
 * One record per line, tab-separated: `pid  time_us  op  flags  path [path2]`; paths are
 * absolute (the interposer joins relative and *at paths to the cwd or the dirfd's path) with
 * `\\`, `\t`, `\n` escaped. Only successful calls are logged. Pure, so it is unit-tested on lines.
 */
export function parsePreloadLine(line: string, cwd: string): RawOp | null {
  // indexOf rather than split: a busy command logs hundreds of thousands of lines.
  const t1 = line.indexOf('\t');
  const t2 = line.indexOf('\t', t1 + 1);
  const t3 = line.indexOf('\t', t2 + 1);
  const t4 = line.indexOf('\t', t3 + 1);
  if (t1 < 0 || t2 < 0 || t3 < 0 || t4 < 0) return null;
  const usec = Number(line.slice(t1 + 1, t2));
  const at = Number.isFinite(usec) ? Math.round(usec / 1000) : 0;
  const op = line.slice(t2 + 1, t3);
  const t5 = line.indexOf('\t', t4 + 1);
  const p = normalise(line.slice(t4 + 1, t5 < 0 ? line.length : t5), cwd);
  if (p === null) return null;
  switch (op) {
    case 'open':
      return { kind: 'open', path: p, at, mode: openModeFromLetters(line.slice(t3 + 1, t4)) };
    case 'trunc':
      return { kind: 'truncate', path: p, at };
    case 'unlink':
      return { kind: 'delete', path: p, at };
    case 'rmdir':
      return { kind: 'rmdir', path: p, at };
    case 'mkdir':
      return { kind: 'mkdir', path: p, at };
    case 'link':
      return { kind: 'link', path: p, at };
    case 'exec':
      return { kind: 'exec', path: p, at };
    case 'rename': {
      const from = t5 < 0 ? null : normalise(line.slice(t5 + 1), cwd);
      return from === null ? null : { kind: 'rename', path: p, from, at };
    }
    default:
      return null;
  }
}

/**
 * Reads a growing interposer log incrementally: `pump()` parses every complete line written so
 * far (called while the command runs, so parsing overlaps it), `finish()` the rest.
 */
export class PreloadLogReader {
  readonly ops: RawOp[] = [];
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
    if (op.kind === 'exec') this.sawExec = true;
    this.ops.push(op);
  }
}

/** `rwcxtad` letters (read, write, create, exclusive, truncate, append, directory) → OpenMode. */
export function openModeFromLetters(letters: string): OpenMode {
  const has = (c: string): boolean => letters.includes(c);
  return { read: has('r'), write: has('w'), create: has('c'), exclusive: has('x'), truncate: has('t'), append: has('a'), directory: has('d') };
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
