import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { captureRun, ENV_TRACING } from './capture-run';
import { footprintClasses } from './footprint';
import { needInterposer, needStrace } from './interposer.test-support';
import { openModeFromLetters, parsePreloadLine } from './preload-log';
import { chooseTracer, ENV_PRELOAD_SO, ENV_TRACER, inspectExecutable } from './tracer-choice';

/**
 * Backend choice (interposer vs strace), the ELF inspection behind it, the interposer's log
 * format, and the interposer's behaviour where it differs from strace: explicit environments,
 * concurrent writers, programs that close or reuse its log descriptor.
 */
const quiet = { warn: () => {} };

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A minimal 64-bit little-endian ELF: program headers of the given types, optional section names. */
function syntheticElf(phTypes: number[], sectionNames: string[] = []): Buffer {
  const phoff = 64;
  const phentsize = 56;
  const strtab = Buffer.from(['', '.shstrtab', ...sectionNames, ''].join('\0'), 'latin1');
  const strOff = phoff + phTypes.length * phentsize;
  const shoff = strOff + strtab.length + ((8 - ((strOff + strtab.length) % 8)) % 8);
  const shentsize = 64;
  const shnum = sectionNames.length ? 2 : 0;
  const b = Buffer.alloc(shoff + shnum * shentsize);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = 2; // ELFCLASS64
  b[5] = 1; // little-endian
  b[6] = 1;
  b.writeUInt16LE(2, 16); // ET_EXEC
  b.writeUInt16LE(62, 18); // x86-64
  b.writeUInt32LE(1, 20);
  b.writeBigUInt64LE(BigInt(phoff), 32);
  b.writeBigUInt64LE(BigInt(shnum ? shoff : 0), 40);
  b.writeUInt16LE(64, 52);
  b.writeUInt16LE(phentsize, 54);
  b.writeUInt16LE(phTypes.length, 56);
  b.writeUInt16LE(shentsize, 58);
  b.writeUInt16LE(shnum, 60);
  b.writeUInt16LE(shnum ? 1 : 0, 62);
  phTypes.forEach((t, i) => b.writeUInt32LE(t, phoff + i * phentsize));
  strtab.copy(b, strOff);
  if (shnum) {
    const sh = shoff + shentsize; // section 1: .shstrtab
    b.writeUInt32LE(1, sh); // name offset
    b.writeUInt32LE(3, sh + 4); // SHT_STRTAB
    b.writeBigUInt64LE(BigInt(strOff), sh + 24);
    b.writeBigUInt64LE(BigInt(strtab.length), sh + 32);
  }
  return b;
}

test('ELF inspection: PT_INTERP means dynamic; none means static; a Go build-id note means Go', () => {
  const dir = tmp('retrace-elf-');
  try {
    const write = (name: string, body: Buffer | string, mode = 0o755): string => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, body, { mode });
      return p;
    };
    const env = { PATH: `${dir}:/usr/bin:/bin` };
    assert.equal(inspectExecutable(write('dyn', syntheticElf([6, 3, 1])), env, dir).kind, 'dynamic');
    assert.equal(inspectExecutable(write('stat', syntheticElf([1, 1, 4])), env, dir).kind, 'static');
    assert.equal(inspectExecutable(write('gobin', syntheticElf([6, 3, 1], ['.note.go.buildid', '.text'])), env, dir).kind, 'go');
    assert.equal(inspectExecutable(write('junk', 'MZ not an elf at all'), env, dir).kind, 'other');
    // Scripts resolve to their interpreter, `env NAME` through PATH.
    write('viaenv', '#!/usr/bin/env stat\necho hi\n');
    write('direct', `#!${path.join(dir, 'dyn')} -x\n`);
    assert.deepEqual(inspectExecutable('viaenv', env, dir), inspectExecutable('stat', env, dir));
    assert.equal(inspectExecutable('./direct', env, dir).kind, 'dynamic');
    // The choice follows: static → strace, dynamic → preload (when the library exists).
    const withLib = { ...env, [ENV_PRELOAD_SO]: write('lib.so', syntheticElf([1])) };
    assert.equal(chooseTracer(['stat'], withLib, dir).tracer, 'strace');
    assert.equal(chooseTracer(['viaenv'], withLib, dir).tracer, 'strace');
    assert.equal(chooseTracer(['gobin'], withLib, dir).tracer, 'strace');
    assert.equal(chooseTracer(['dyn'], withLib, dir).tracer, 'preload');
    assert.equal(chooseTracer(['dyn'], { ...env, [ENV_PRELOAD_SO]: path.join(dir, 'missing.so') }, dir).tracer, 'strace');
    // Another ABI than the library's (here a 32-bit program): strace.
    const elf32 = Buffer.alloc(52 + 32);
    elf32.writeUInt32BE(0x7f454c46, 0);
    elf32[4] = 1;
    elf32[5] = 1;
    elf32.writeUInt16LE(3, 18); // i386
    elf32.writeUInt32LE(52, 28); // e_phoff
    elf32.writeUInt16LE(32, 42); // e_phentsize
    elf32.writeUInt16LE(1, 44); // e_phnum
    elf32.writeUInt32LE(3, 52); // PT_INTERP
    write('dyn32', elf32);
    assert.equal(inspectExecutable('dyn32', env, dir).kind, 'dynamic');
    assert.equal(chooseTracer(['dyn32'], withLib, dir).tracer, 'strace');
    // RETRACE_TRACER forces one.
    assert.equal(chooseTracer(['dyn'], { ...withLib, [ENV_TRACER]: 'strace' }, dir).tracer, 'strace');
    assert.equal(chooseTracer(['stat'], { ...withLib, [ENV_TRACER]: 'preload' }, dir).tracer, 'preload');
    assert.equal(chooseTracer(['dyn'], { ...withLib, [ENV_TRACER]: 'scan' }, dir).tracer, 'scan');
    // setuid programs: the loader ignores LD_PRELOAD.
    fs.copyFileSync(path.join(dir, 'dyn'), path.join(dir, 'suid'));
    fs.chmodSync(path.join(dir, 'suid'), 0o4755);
    assert.equal(chooseTracer(['suid'], withLib, dir).tracer, 'strace');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the machine’s own sh and python3 are seen as dynamically linked', () => {
  assert.equal(inspectExecutable('sh', process.env, process.cwd()).kind, 'dynamic');
  if (spawnSync('python3', ['--version']).status === 0) assert.equal(inspectExecutable('python3', process.env, process.cwd()).kind, 'dynamic');
});

test('interposer log lines become the raw ops the strace path yields', () => {
  const cwd = '/ws';
  assert.deepEqual(parsePreloadLine('12\t1700000000123456\topen\twctn\t/ws/sub/../a b.txt', cwd), {
    kind: 'open',
    path: '/ws/a b.txt',
    at: 1700000000123.456,
    mode: openModeFromLetters('wct'),
    existed: false,
  });
  // A write through a symlink: the resolved target first, the name the program used second.
  assert.deepEqual(parsePreloadLine('12\t0\topen\twae\t/ws/target.txt\t/ws/link.txt', cwd), {
    kind: 'open', path: '/ws/target.txt', at: 0, mode: openModeFromLetters('wa'), via: '/ws/link.txt', existed: true,
  });
  assert.deepEqual(openModeFromLetters('rwcxtad'), { read: true, write: true, create: true, exclusive: true, truncate: true, append: true, directory: true, tmpfile: false });
  assert.deepEqual(parsePreloadLine('1\t0\trename\to\t/ws/new\t/ws/old', cwd), { kind: 'rename', path: '/ws/new', from: '/ws/old', at: 0, replaced: true });
  assert.deepEqual(parsePreloadLine('1\t0\texchange\t-\t/ws/a\t/ws/b', cwd), { kind: 'exchange', path: '/ws/a', other: '/ws/b', at: 0 });
  assert.deepEqual(parsePreloadLine('1\t0\tlink\th\t/ws/alias\t/ws/data', cwd), { kind: 'link', path: '/ws/alias', from: '/ws/data', at: 0 });
  assert.deepEqual(parsePreloadLine('1\t0\tload\t-\t/ws/libx.so', cwd), { kind: 'load', path: '/ws/libx.so', at: 0 });
  assert.deepEqual(parsePreloadLine('7\t0\thandoff\t-\t/ws\t/tmp/t/strace.7.1.log\t/ws/static_tool', cwd), { kind: 'handoff', pid: 7, cwd: '/ws', log: '/tmp/t/strace.7.1.log', program: '/ws/static_tool' });
  assert.deepEqual(parsePreloadLine('7\t0\tlost\tsetuid\t/usr/bin/sudo', cwd), { kind: 'lost', pid: 7, why: 'setuid', path: '/usr/bin/sudo' });
  assert.deepEqual(parsePreloadLine('1\t0\tunlink\t-\t/ws/tab\\there\\nnl\\\\bs', cwd), { kind: 'delete', path: '/ws/tab\there\nnl\\bs', at: 0 });
  assert.deepEqual(parsePreloadLine('1\t0\ttrunc\t-\t/ws/gone (deleted)', cwd), { kind: 'truncate', path: '/ws/gone', at: 0 });
  const pathOf = (line: string): string | undefined => {
    const r = parsePreloadLine(line, cwd);
    return r && 'path' in r ? r.path : undefined;
  };
  assert.equal(pathOf('1\t0\topen\tr\t/ws/.hidden/x'), '/ws/.hidden/x');
  assert.equal(pathOf('1\t0\topen\tr\t/ws//a/./b/'), '/ws/a/b');
  assert.equal(pathOf('1\t0\topen\tr\t/'), '/');
  assert.equal(parsePreloadLine('garbage', cwd), null);
  assert.equal(parsePreloadLine('1\t0\tunknown\t-\t/x', cwd), null);
});

test('a statically linked command falls back to strace and is still captured', async () => {
  needStrace();
  needInterposer();
  const ws = tmp('retrace-static-');
  try {
    fs.writeFileSync(path.join(ws, 'st.c'), '#include <stdio.h>\nint main(void){FILE*f=fopen("static_out.txt","w");if(!f)return 1;fputs("s\\n",f);return fclose(f);}\n');
    const cc = spawnSync('cc', ['-static', '-O1', '-o', path.join(ws, 'st'), path.join(ws, 'st.c')], { encoding: 'utf8' });
    assert.equal(cc.status, 0, `cc -static failed (a static libc is needed: apt-get install libc6-dev, see .ci/run): ${cc.stderr}`);
    fs.rmSync(path.join(ws, 'st.c'));
    assert.equal(inspectExecutable('./st', process.env, ws).kind, 'static');
    const r = await captureRun({ argv: ['./st'], workspaceRoot: ws, cwd: ws, env: { ...process.env, [ENV_TRACER]: '' }, ...quiet });
    assert.equal(r.exitCode, 0);
    assert.equal(r.captureMode, 'strace');
    assert.deepEqual(footprintClasses(r.footprint).OUTPUT_ADDED, ['static_out.txt']);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('the interposer follows children given an empty environment or none, and concurrent writers', async () => {
  needInterposer();
  const ws = tmp('retrace-preload-');
  try {
    const script = [
      'import subprocess',
      // An explicit, empty environment: the interposer puts itself back in.
      "subprocess.run(['/bin/sh', '-c', 'echo x > envless.txt'], env={}, check=True)",
      // LD_PRELOAD removed from the program's own environment, then execv with it (env=None).
      "import os; os.environ.pop('LD_PRELOAD')",
      "subprocess.run(['/bin/sh', '-c', 'echo x > unset.txt'], check=True)",
      // Twenty processes appending records at once.
      "subprocess.run(['/bin/sh', '-c', 'for i in $(seq 1 20); do (echo $i > par$i.txt) & done; wait'], check=True)",
    ].join('\n');
    const r = await captureRun({ argv: ['python3', '-c', script], workspaceRoot: ws, cwd: ws, env: { ...process.env, [ENV_TRACER]: 'preload' }, ...quiet });
    assert.equal(r.exitCode, 0);
    assert.equal(r.captureMode, 'preload');
    const added = footprintClasses(r.footprint).OUTPUT_ADDED;
    const want = ['envless.txt', 'unset.txt', ...Array.from({ length: 20 }, (_, i) => `par${i + 1}.txt`)].sort();
    assert.deepEqual(added, want);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('a program that closes the interposer’s log and reuses its descriptor gets no records in its files', async () => {
  needInterposer();
  const ws = tmp('retrace-preload-fd-');
  try {
    const script = [
      'import os',
      'os.closerange(3, 65536)',
      "fd = os.open('victim.txt', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)",
      // Put the program's own file on every number the log could have had.
      'for n in range(3, 1024):',
      '    if n != fd:',
      '        os.dup2(fd, n)',
      "open('after.txt', 'w').write('a')",
    ].join('\n');
    const r = await captureRun({ argv: ['python3', '-c', script], workspaceRoot: ws, cwd: ws, env: { ...process.env, [ENV_TRACER]: 'preload' }, ...quiet });
    assert.equal(r.exitCode, 0);
    assert.equal(fs.readFileSync(path.join(ws, 'victim.txt'), 'utf8'), '');
    assert.deepEqual(footprintClasses(r.footprint).OUTPUT_ADDED, ['after.txt', 'victim.txt']);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('a run nested in an interposer-traced run traces with strace; one nested under strace scans', async () => {
  needStrace();
  const ws = tmp('retrace-nested-');
  try {
    const run = (outer: string) =>
      captureRun({ argv: ['sh', '-c', 'echo n > nested.txt'], workspaceRoot: ws, cwd: ws, env: { ...process.env, [ENV_TRACER]: '', [ENV_TRACING]: outer }, ...quiet });
    const underPreload = await run('preload');
    assert.equal(underPreload.captureMode, 'strace');
    assert.deepEqual(footprintClasses(underPreload.footprint).OUTPUT_ADDED, ['nested.txt']);
    assert.equal((await run('strace')).captureMode, 'scan');
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});
