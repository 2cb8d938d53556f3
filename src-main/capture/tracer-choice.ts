import fs from 'node:fs';
import path from 'node:path';
import { resolveExecutable } from './capture-config';

/**
 * Which tracer records a command's file operations.
 *
 * - `preload`: the LD_PRELOAD interposer (interposer/retrace_preload.c, built at install time
 *   into dist/native/). No ptrace stops, so file-heavy commands run near full speed. It sees
 *   only what dynamically linked programs do through libc.
 * - `strace`: `strace -f --seccomp-bpf`. Sees every syscall of every process, static or not,
 *   at the cost of two ptrace stops per traced call.
 *
 * Default: `preload` when the library exists and the command is a dynamically linked ELF
 * (scripts resolve to their `#!` interpreter, `/usr/bin/env X` to X on PATH) that is neither
 * setuid/setgid (the loader ignores LD_PRELOAD there) nor a Go program (Go does file I/O with
 * raw syscalls). Everything else gets strace. `RETRACE_TRACER=preload|strace|scan` forces one.
 */
export const ENV_TRACER = 'RETRACE_TRACER';
/** Path of the interposer library, overriding the installed one (tests, packaging). */
export const ENV_PRELOAD_SO = 'RETRACE_PRELOAD_SO';
export const INTERPOSER_NAME = 'retrace_preload.so';

export type TracerName = 'preload' | 'strace' | 'scan';

/** The installed interposer: dist/native/ beside the bundle (dist/main) or from source. */
export function findInterposer(env: NodeJS.ProcessEnv = process.env): string | null {
  const here = import.meta.dirname;
  const candidates = env[ENV_PRELOAD_SO]
    ? [env[ENV_PRELOAD_SO]]
    : [path.resolve(here, '../native', INTERPOSER_NAME), path.resolve(here, '../../dist/native', INTERPOSER_NAME)];
  for (const c of candidates) {
    try {
      if (fs.statSync(c).isFile()) return c;
    } catch {
      // not here
    }
  }
  return null;
}

export type ExecutableKind =
  | { kind: 'dynamic'; path: string; /** ELF class and e_machine, e.g. `64:62` (x86-64). */ abi: string }
  | { kind: 'static' | 'setuid' | 'go' | 'other'; path: string; why: string };

const PT_INTERP = 3;

/**
 * What actually runs for `cmd`: follows `#!` lines (and `/usr/bin/env NAME`) to the ELF that the
 * kernel loads, then reads its program headers for PT_INTERP (dynamically linked) and its
 * section names for Go's build-id note.
 */
export function inspectExecutable(cmd: string, env: NodeJS.ProcessEnv, cwd: string, depth = 0): ExecutableKind {
  const file = resolveExecutable(cmd, env, cwd);
  if (!file) return { kind: 'other', path: cmd, why: 'not found on PATH' };
  let st: fs.Stats;
  let fd: number;
  try {
    st = fs.statSync(file);
    fd = fs.openSync(file, 'r');
  } catch (err) {
    return { kind: 'other', path: file, why: `unreadable (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  try {
    if (st.mode & 0o6000) return { kind: 'setuid', path: file, why: 'setuid/setgid: the loader ignores LD_PRELOAD' };
    const head = Buffer.alloc(256);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    if (n >= 2 && head[0] === 0x23 && head[1] === 0x21) {
      if (depth >= 4) return { kind: 'other', path: file, why: 'too many nested #! interpreters' };
      const line = head.subarray(2, n).toString('latin1').split('\n')[0]!.trim();
      const [interp, ...rest] = line.split(/[ \t]+/);
      if (!interp) return { kind: 'other', path: file, why: 'empty #! line' };
      // `#!/usr/bin/env python3` (or `env -S python3 -u`): the program env finds on PATH.
      if (path.basename(interp) === 'env') {
        const prog = rest.find((a) => !a.startsWith('-') && !a.includes('='));
        if (prog) return inspectExecutable(prog, env, cwd, depth + 1);
      }
      return inspectExecutable(interp, env, cwd, depth + 1);
    }
    return inspectElf(fd, head.subarray(0, n), file);
  } catch (err) {
    return { kind: 'other', path: file, why: `unreadable (${(err as Error).message})` };
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads an ELF header in `head` (first bytes of `fd`). Exported for tests on synthetic headers. */
export function inspectElf(fd: number, head: Buffer, file: string): ExecutableKind {
  if (head.length < 52 || head.readUInt32BE(0) !== 0x7f454c46) return { kind: 'other', path: file, why: 'not an ELF executable' };
  const is64 = head[4] === 2;
  const le = head[5] === 1;
  if (is64 && head.length < 64) return { kind: 'other', path: file, why: 'truncated ELF header' };
  const u16 = (b: Buffer, o: number): number => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (b: Buffer, o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const addr = (b: Buffer, o: number): number => (is64 ? Number(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o)) : u32(b, o));
  const phoff = addr(head, is64 ? 32 : 28);
  const shoff = addr(head, is64 ? 40 : 32);
  const phentsize = u16(head, is64 ? 54 : 42);
  const phnum = u16(head, is64 ? 56 : 44);
  const shentsize = u16(head, is64 ? 58 : 46);
  const shnum = u16(head, is64 ? 60 : 48);
  const shstrndx = u16(head, is64 ? 62 : 50);
  const read = (offset: number, length: number): Buffer => {
    const b = Buffer.alloc(length);
    const got = fs.readSync(fd, b, 0, length, offset);
    return b.subarray(0, got);
  };
  if (phnum === 0 || phentsize < (is64 ? 56 : 32) || phnum > 4096) return { kind: 'other', path: file, why: 'no program headers' };
  const ph = read(phoff, phnum * phentsize);
  let dynamic = false;
  for (let i = 0; i + 4 <= ph.length && i < phnum * phentsize; i += phentsize) {
    if (u32(ph, i) === PT_INTERP) dynamic = true;
  }
  if (!dynamic) return { kind: 'static', path: file, why: 'statically linked (no PT_INTERP)' };
  if (hasGoNote(read, { shoff, shentsize, shnum, shstrndx, is64, u32, addr })) {
    return { kind: 'go', path: file, why: 'a Go program (file I/O by raw syscalls, not libc)' };
  }
  return { kind: 'dynamic', path: file, abi: `${is64 ? 64 : 32}:${u16(head, 18)}` };
}

function hasGoNote(
  read: (offset: number, length: number) => Buffer,
  h: { shoff: number; shentsize: number; shnum: number; shstrndx: number; is64: boolean; u32(b: Buffer, o: number): number; addr(b: Buffer, o: number): number },
): boolean {
  if (h.shoff === 0 || h.shnum === 0 || h.shnum > 4096 || h.shstrndx >= h.shnum || h.shentsize < (h.is64 ? 64 : 40)) return false;
  const sh = read(h.shoff, h.shnum * h.shentsize);
  const strHdr = h.shstrndx * h.shentsize;
  if (strHdr + h.shentsize > sh.length) return false;
  const strOff = h.addr(sh, strHdr + (h.is64 ? 24 : 16));
  const strSize = Math.min(h.addr(sh, strHdr + (h.is64 ? 32 : 20)), 1 << 16);
  const names = read(strOff, strSize).toString('latin1');
  return names.includes('.note.go.buildid') || names.includes('.go.buildinfo');
}

const abiCache = new Map<string, string | null>();

/** ELF class and machine of a shared library, as `inspectElf` reports them for programs. */
function libraryAbi(file: string): string | null {
  let abi = abiCache.get(file);
  if (abi !== undefined) return abi;
  abi = null;
  try {
    const head = Buffer.alloc(64);
    const fd = fs.openSync(file, 'r');
    try {
      const n = fs.readSync(fd, head, 0, 64, 0);
      if (n >= 20 && head.readUInt32BE(0) === 0x7f454c46) abi = `${head[4] === 2 ? 64 : 32}:${head[5] === 1 ? head.readUInt16LE(18) : head.readUInt16BE(18)}`;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // unreadable: let the loader decide
  }
  abiCache.set(file, abi);
  return abi;
}

export interface TracerChoice {
  tracer: TracerName;
  /** The interposer library when `tracer` is `preload`. */
  library?: string;
  /** Why strace was chosen over the interposer (for logs and the bench note). */
  why?: string;
}

/**
 * Picks the tracer for `argv`. Does not probe strace: the caller checks that strace works when
 * this says `strace` and falls back to the scan when it does not.
 */
export function chooseTracer(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): TracerChoice {
  const forced = (env[ENV_TRACER] ?? '').trim().toLowerCase();
  if (forced === 'scan') return { tracer: 'scan', why: `${ENV_TRACER}=scan` };
  if (forced === 'strace') return { tracer: 'strace', why: `${ENV_TRACER}=strace` };
  const library = findInterposer(env);
  if (forced === 'preload') {
    return library ? { tracer: 'preload', library } : { tracer: 'strace', why: `${ENV_TRACER}=preload but ${INTERPOSER_NAME} is not built (run node scripts/build-interposer.mjs)` };
  }
  if (!library) return { tracer: 'strace', why: `${INTERPOSER_NAME} is not built` };
  if (process.platform !== 'linux') return { tracer: 'strace', why: 'LD_PRELOAD capture is Linux-only' };
  const exe = inspectExecutable(argv[0]!, env, cwd);
  if (exe.kind !== 'dynamic') return { tracer: 'strace', why: `${exe.path}: ${exe.why}` };
  // A 32-bit program cannot load a 64-bit library (the loader would print an error and skip it).
  const lib = libraryAbi(library);
  if (lib !== null && lib !== exe.abi) return { tracer: 'strace', why: `${exe.path}: another ABI (${exe.abi}) than ${INTERPOSER_NAME} (${lib})` };
  return { tracer: 'preload', library };
}
