/**
 * Parses strace output written with `-f -ttt -y -qq -o FILE` into syscall records.
 * Pure: no file system access, so the tricky text handling is unit-tested on fixed lines.
 *
 * Line shapes handled (pid and timestamp prefix first):
 *   12 1732600000.123456 openat(AT_FDCWD</ws>, "a.csv", O_RDONLY) = 3</ws/a.csv>
 *   12 1732600000.123456 openat(AT_FDCWD</ws>, "a.csv", O_RDONLY <unfinished ...>
 *   12 1732600000.123999 <... openat resumed>) = 3</ws/a.csv>
 * Signal and exit lines (`--- SIG… ---`, `+++ exited … +++`) are skipped.
 */

/** One argument as strace printed it, decoded where it matters for paths. */
export interface SyscallArg {
  /** The raw text of the argument (strings still quoted). */
  readonly raw: string;
  /** Decoded value when the argument is a quoted string. */
  readonly str?: string;
  /** The `-y` annotation `<path>` after a file descriptor or AT_FDCWD. */
  readonly fdPath?: string;
}

export interface SyscallRecord {
  readonly pid: number;
  /** Epoch milliseconds with microseconds as the fraction (from `-ttt`), or 0 without a timestamp. */
  readonly atMs: number;
  readonly name: string;
  readonly args: readonly SyscallArg[];
  /** Numeric return value; NaN for `?`. */
  readonly ret: number;
  /** `-y` annotation of a returned file descriptor. */
  readonly retPath?: string;
  /** errno name on failure, e.g. ENOENT. */
  readonly errno?: string;
}

const LINE_HEAD = /^(\d+)\s+(?:(\d+\.\d+)\s+)?(.*)$/;

/** Joins `<unfinished ...>` / `<... resumed>` halves per pid, then parses complete calls. */
export class StraceLineParser {
  private readonly pending = new Map<number, { text: string; atMs: number }>();

  /** Feeds one line; returns a record when the line completes a syscall. */
  push(line: string): SyscallRecord | null {
    const m = LINE_HEAD.exec(line);
    if (!m) return null;
    const pid = Number(m[1]);
    const atMs = m[2] ? Math.round(Number(m[2]) * 1e6) / 1000 : 0;
    let body = m[3]!;
    if (body.startsWith('---') || body.startsWith('+++')) return null;
    if (body.endsWith(' <unfinished ...>')) {
      this.pending.set(pid, { text: body.slice(0, -' <unfinished ...>'.length), atMs });
      return null;
    }
    const resumed = /^<\.\.\. ([\w]+) resumed>(.*)$/.exec(body);
    if (resumed) {
      const head = this.pending.get(pid);
      this.pending.delete(pid);
      if (!head) return null;
      body = head.text + resumed[2]!;
      return parseSyscallBody(pid, head.atMs, body);
    }
    return parseSyscallBody(pid, atMs, body);
  }
}

/** Parses `name(args) = ret[<path>] [ERRNO (text)]`; null when the text is not a syscall. */
export function parseSyscallBody(pid: number, atMs: number, body: string): SyscallRecord | null {
  const open = body.indexOf('(');
  if (open <= 0) return null;
  const name = body.slice(0, open);
  if (!/^\w+$/.test(name)) return null;
  const { args, end } = splitArgs(body, open + 1);
  if (end < 0) return null;
  const tail = body.slice(end + 1);
  const r = /^\s*=\s*(-?\d+|\?|0x[0-9a-f]+)(?:<(.*)>)?(?:\s+(E[A-Z0-9]+))?/.exec(tail);
  if (!r) return null;
  const ret = r[1] === '?' ? NaN : Number(r[1]);
  const rec: SyscallRecord = {
    pid,
    atMs,
    name,
    args,
    ret,
    ...(r[2] !== undefined ? { retPath: decodeAnnotation(r[2]) } : {}),
    ...(r[3] ? { errno: r[3] } : {}),
  };
  return rec;
}

/** Splits the argument list starting at `from` (just after `(`); `end` is the index of `)`. */
function splitArgs(s: string, from: number): { args: SyscallArg[]; end: number } {
  const args: SyscallArg[] = [];
  let depth = 0;
  let start = from;
  let i = from;
  const finish = (to: number): void => {
    const raw = s.slice(start, to).trim();
    if (raw.length > 0) args.push(decodeArg(raw));
  };
  while (i < s.length) {
    const c = s[i]!;
    if (c === '"') {
      i = skipString(s, i);
      continue;
    }
    if (c === '<') {
      // A -y annotation: skip to its closing '>' (paths are escaped by strace, so a bare '>' ends it).
      const close = s.indexOf('>', i + 1);
      i = close < 0 ? s.length : close + 1;
      continue;
    }
    if (c === '[' || c === '{' || c === '(') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ')') {
      if (depth === 0) {
        finish(i);
        return { args, end: i };
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      finish(i);
      start = i + 1;
    }
    i++;
  }
  return { args, end: -1 };
}

function skipString(s: string, quoteAt: number): number {
  let i = quoteAt + 1;
  while (i < s.length) {
    if (s[i] === '\\') i += 2;
    else if (s[i] === '"') return i + 1;
    else i++;
  }
  return s.length;
}

function decodeArg(raw: string): SyscallArg {
  if (raw.startsWith('"')) {
    const end = skipString(raw, 0);
    return { raw, str: decodeCString(raw.slice(1, end - 1)) };
  }
  const ann = /^([^<]*)<(.*)>$/.exec(raw);
  if (ann) return { raw: ann[1]!, fdPath: decodeAnnotation(ann[2]!) };
  return { raw };
}

/** `-y` prints "(deleted)" after paths of unlinked files; the path itself is what matters. */
function decodeAnnotation(text: string): string {
  const p = decodeCString(text);
  return p.endsWith(' (deleted)') ? p.slice(0, -' (deleted)'.length) : p;
}

/** Decodes strace's C-style escapes (\n, \", \\, \xHH, \ooo) into a UTF-8 string. */
export function decodeCString(text: string): string {
  if (!text.includes('\\')) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
      continue;
    }
    const n = text[i + 1] ?? '';
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, '"': 34, '\\': 92, "'": 39 };
    if (n in simple) {
      bytes.push(simple[n]!);
      i++;
    } else if (n === 'x') {
      bytes.push(parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (/[0-7]/.test(n)) {
      const oct = /^[0-7]{1,3}/.exec(text.slice(i + 1))![0];
      bytes.push(parseInt(oct, 8));
      i += oct.length;
    } else {
      bytes.push(92);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
