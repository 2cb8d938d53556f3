import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { readGitState, scriptFromArgv } from './code-state';
import { splitTableOps } from './delta-tables';
import { probePython, selectVariables } from './environment';
import { classifyRawOps, footprintClasses, type StatLike } from './footprint';
import type { OpenMode, RawOp } from './syscall-ops';
import { HashCache, hashFile } from './hashing';
import { needTool } from './interposer.test-support';
import { globToRegExp } from '../../shared/glob';
import { ArtifactClassifier } from '../provenance/naming';
import { discoverSources } from '../provenance/sources';
import { buildIgnoreRules } from './ignore-rules';
import { decodeCString, StraceLineParser } from './strace-parse';
import { parseOpenFlags, SyscallOpsBuilder } from './syscall-ops';

function opsFrom(lines: string[], cwd = '/ws'): ReturnType<SyscallOpsBuilder['ops']['slice']> {
  const parser = new StraceLineParser();
  const b = new SyscallOpsBuilder(cwd);
  for (const l of lines) {
    const r = parser.push(l);
    if (r) b.push(r);
  }
  return b.ops;
}

test('parser joins unfinished and resumed halves and decodes -y annotations and escapes', () => {
  const ops = opsFrom([
    '10 1700000000.000100 openat(AT_FDCWD</ws>, "a b\\"q.csv", O_RDONLY <unfinished ...>',
    '11 1700000000.000200 unlinkat(AT_FDCWD</ws/sub>, "x", 0) = 0',
    '10 1700000000.000300 <... openat resumed>) = 3</ws/a b"q.csv>',
    '10 1700000000.000400 openat(AT_FDCWD</ws>, "missing", O_RDONLY) = -1 ENOENT (No such file or directory)',
    '10 1700000000.000500 --- SIGCHLD {si_signo=SIGCHLD} ---',
    // strace escapes '<' and '>' inside -y annotations as octal.
    '12 1700000000.000600 openat(AT_FDCWD</w>, "a>b<c", O_RDONLY) = 3</w/a\\76b\\74c>',
  ]);
  assert.deepEqual(ops.map((o) => [o.kind, o.path, o.at]), [
    ['delete', '/ws/sub/x', 1700000000000.2],
    ['open', '/ws/a b"q.csv', 1700000000000.1],
    ['open', '/w/a>b<c', 1700000000000.6],
  ]);
  assert.equal(decodeCString('caf\\303\\251\\n'), 'café\n');
});

test('without annotations, cwd and dirfd are tracked per process across chdir, fork and fchdir', () => {
  const ops = opsFrom([
    '1 chdir("data") = 0',
    '1 openat(AT_FDCWD, "in.csv", O_RDONLY) = 3',
    '1 openat(AT_FDCWD, "out", O_RDONLY|O_DIRECTORY) = 4',
    '1 openat(4, "m.bin", O_WRONLY|O_CREAT|O_EXCL, 0644) = 5',
    '1 clone(child_stack=NULL, flags=SIGCHLD) = 2',
    '2 chdir("/elsewhere") = 0',
    '2 open("rel.txt", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3',
    '1 open("after.txt", O_RDONLY) = 6',
    '1 fchdir(4) = 0',
    '1 renameat2(AT_FDCWD, "a", 4, "b", RENAME_NOREPLACE) = 0',
    '1 ftruncate(5) = 0',
  ]);
  assert.deepEqual(ops.map((o) => `${o.kind} ${o.path}${o.kind === 'rename' ? ' <- ' + o.from : ''}`), [
    'open /ws/data/in.csv',
    'open /ws/data/out',
    'open /ws/data/out/m.bin',
    'open /elsewhere/rel.txt',
    'open /ws/data/after.txt',
    'rename /ws/data/out/b <- /ws/data/out/a',
    'truncate /ws/data/out/m.bin',
  ]);
  assert.deepEqual(parseOpenFlags('{flags=O_RDWR|O_CREAT|O_APPEND, mode=0644}'), {
    write: true, read: true, create: true, exclusive: false, truncate: false, append: true, directory: false, tmpfile: false,
  });
  // renameat2 with RENAME_EXCHANGE swaps; O_TMPFILE opens name the folder; link keeps its source.
  const more = opsFrom([
    '1 renameat2(AT_FDCWD</ws>, "a", AT_FDCWD</ws>, "b", RENAME_EXCHANGE) = 0',
    '1 openat(AT_FDCWD</ws>, ".", O_WRONLY|O_TMPFILE, 0644) = 3</ws/#123 (deleted)>',
    '1 linkat(AT_FDCWD</ws>, "data.txt", AT_FDCWD</ws>, "alias.txt", 0) = 0',
    '1 io_uring_setup(4, {}) = 5',
  ]);
  assert.deepEqual(more, [
    { kind: 'exchange', path: '/ws/b', other: '/ws/a', at: 0 },
    { kind: 'open', path: '/ws', at: 0, mode: parseOpenFlags('O_WRONLY|O_TMPFILE') },
    { kind: 'link', path: '/ws/alias.txt', from: '/ws/data.txt', at: 0 },
  ]);
});

test('without the interposer\'s hints, creates and modifies are decided by birth time and mtime against the start marker', () => {
  const stat = (birth: number, mtime: number): StatLike => ({ isDirectory: () => false, birthtimeMs: birth, mtimeMs: mtime });
  const files: Record<string, StatLike | null> = {
    '/w/new': stat(200, 200), // born after the marker: created
    '/w/old': stat(50, 200), // born before, written now: overwritten
    '/w/rw-untouched': stat(50, 60), // opened O_RDWR but never changed: only read
    '/w/tmp': null, // gone at the end: a temp file
  };
  const w = { read: false, write: true, create: true, exclusive: false, truncate: true, append: false, directory: false };
  const { ops } = classifyRawOps(
    [
      { kind: 'open', path: '/w/new', at: 1, mode: w },
      { kind: 'open', path: '/w/old', at: 2, mode: w },
      { kind: 'open', path: '/w/rw-untouched', at: 3, mode: { ...w, read: true, create: false, truncate: false } },
      { kind: 'open', path: '/w/tmp', at: 4, mode: w },
      { kind: 'delete', path: '/w/tmp', at: 5 },
    ],
    { markerMs: 100, statPath: (p) => files[p] ?? null },
  );
  assert.deepEqual(footprintClasses(ops), {
    INPUT: ['/w/rw-untouched'], OUTPUT_MODIFIED: ['/w/old'], OUTPUT_ADDED: ['/w/new'], OUTPUT_REMOVED: [], OUTPUT_TMP: ['/w/tmp'],
  });
});

test('a path\'s class follows from whether it existed before and after the run', () => {
  // Worked out by hand: which names exist before (`before`) and after (`after`) the run.
  const before = new Set(['/w/out', '/w/a', '/w/b', '/w/x', '/w/y', '/w/data', '/w/twin', '/w/orig']);
  const after = new Set(['/w/out', '/w/a', '/w/b', '/w/x', '/w/data', '/w/alias', '/w/twin', '/w/orig', '/w/new']);
  const inode: Record<string, number> = { '/w/data': 7, '/w/alias': 7, '/w/twin': 9, '/w/orig': 9 };
  const statPath = (p: string): StatLike | null =>
    after.has(p) ? { isDirectory: () => false, birthtimeMs: 1, mtimeMs: 200, dev: 1, ino: inode[p] ?? p.length, nlink: inode[p] ? 2 : 1 } : null;
  const open = (path: string, at: number, mode: Partial<OpenMode>, existed?: boolean): RawOp => ({
    kind: 'open', path, at, mode: { read: false, write: false, create: false, exclusive: false, truncate: false, append: false, directory: false, ...mode }, ...(existed !== undefined ? { existed } : {}),
  });
  const raw: RawOp[] = [
    open('/w/out.tmp', 1, { write: true, create: true, truncate: true }, false),
    { kind: 'rename', path: '/w/out', from: '/w/out.tmp', at: 2, replaced: true }, // atomic replace of an existing file
    { kind: 'exchange', path: '/w/a', other: '/w/b', at: 3 },
    { kind: 'delete', path: '/w/x', at: 4 }, // deleted, then written again
    open('/w/x', 5, { write: true, create: true, truncate: true }, false),
    open('/w/y', 6, { write: true, create: true, truncate: true }, true), // overwritten, then deleted
    { kind: 'delete', path: '/w/y', at: 7 },
    { kind: 'link', path: '/w/alias', from: '/w/data', at: 8 }, // new name, then written through
    open('/w/alias', 9, { write: true, append: true }),
    open('/w/orig', 10, { read: true }),
    open('/w/twin', 11, { write: true, append: true }),
    { kind: 'exec', path: '/w/tool', at: 12 },
    open('/w/new', 13, { write: true, create: true }, false),
  ];
  // Every op lands in a shuffled order: classification sorts by time.
  const { ops, code } = classifyRawOps([...raw].reverse(), { markerMs: 100, statPath });
  assert.deepEqual(code, ['/w/tool']);
  assert.deepEqual(footprintClasses(ops), {
    INPUT: ['/w/orig'],
    OUTPUT_MODIFIED: ['/w/a', '/w/b', '/w/data', '/w/orig', '/w/out', '/w/twin', '/w/x'],
    OUTPUT_ADDED: ['/w/alias', '/w/new'],
    OUTPUT_REMOVED: ['/w/y'],
    OUTPUT_TMP: ['/w/out.tmp'],
  });
  assert.equal(ops.find((o) => o.path === '/w/out' && o.op === 'MODIFY')?.renamedFrom, '/w/out.tmp');
  // Under strace a rename does not say whether it replaced a file: the listing taken before does.
  const strace = classifyRawOps(
    [open('/w/out.tmp', 1, { write: true, create: true, truncate: true }), { kind: 'rename', path: '/w/out', from: '/w/out.tmp', at: 2 }],
    { markerMs: 100, statPath, existedBefore: (p) => before.has(p) },
  );
  assert.deepEqual(footprintClasses(strace.ops).OUTPUT_MODIFIED, ['/w/out']);
});

test('the footprint algebra matches the DESIGN §4 fixture', () => {
  const c = footprintClasses([
    { path: 'f1', op: 'CREATE' }, { path: 'f1', op: 'MODIFY' }, { path: 'f2', op: 'CREATE' }, { path: 'f3', op: 'MODIFY' },
    { path: 'f4', op: 'CREATE' }, { path: 'f4', op: 'DELETE' }, { path: 'f5', op: 'DELETE' }, { path: 'f6', op: 'READ' },
  ]);
  assert.deepEqual(c, { INPUT: ['f6'], OUTPUT_MODIFIED: ['f3'], OUTPUT_ADDED: ['f1', 'f2'], OUTPUT_REMOVED: ['f5'], OUTPUT_TMP: ['f4'] });
});

test('ignore rules drop system, interpreter and Retrace paths and honour configured globs', () => {
  assert.ok(globToRegExp('**/site-packages/**').test('/v/lib/python3.11/site-packages/numpy/x.py'));
  assert.ok(!globToRegExp('data/*.csv').test('data/sub/a.csv'));
  const r = buildIgnoreRules({ workspaceRoot: '/ws', extraGlobs: ['scratch/**'], extraPrefixes: ['/opt/py'] });
  for (const p of ['/usr/lib/x.so', '/proc/self/maps', '/ws/.retrace/logs/runs.jsonl', '/ws/src/__pycache__/a.pyc', '/ws/scratch/t.bin', '/opt/py/lib/os.py', '/ws/node_modules/a/index.js']) {
    assert.ok(r.ignores(p), p);
  }
  for (const p of ['/ws/data/in.csv', '/ws/train.py', '/data/raw/big.parquet']) assert.ok(!r.ignores(p), p);
});

test('naming rules, log sources and capture ignores read one glob the same way', () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-glob-'));
  try {
    for (const f of ['a/x.tmp', 'a/b/y.log', 'a/z.txt', 'w.tmpl']) {
      fs.mkdirSync(path.dirname(path.join(ws, f)), { recursive: true });
      fs.writeFileSync(path.join(ws, f), '');
    }
    const glob = '**/*.{tmp,log}';
    const want = ['a/b/y.log', 'a/x.tmp'];
    const ignored = ['a/x.tmp', 'a/b/y.log', 'a/z.txt', 'w.tmpl'].filter((f) => buildIgnoreRules({ workspaceRoot: ws, extraGlobs: [glob] }).ignores(path.join(ws, f)));
    assert.deepEqual(ignored.sort(), want);
    assert.deepEqual(discoverSources([glob], ws).map((s) => path.relative(ws, s.path)).sort(), want);
    const naming = new ArtifactClassifier([{ match: glob, kind: 'model', scope: 'file' }]);
    assert.deepEqual(['a/x.tmp', 'a/b/y.log', 'a/z.txt', 'w.tmpl'].filter((f) => naming.classify(f).kind === 'model').sort(), want);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('hashes stream, are cached by size and mtime, and large files get a marked fingerprint', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-hash-'));
  try {
    const f = path.join(dir, 'a.bin');
    fs.writeFileSync(f, 'hello');
    const cacheDir = path.join(dir, 'cache');
    const cache = new HashCache(cacheDir);
    const v = await hashFile(f, cache);
    assert.equal(v?.hash, 'sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    cache.save();
    // A cache hit is proven by poisoning the cached value: unchanged size+mtime returns it as is.
    const [shard] = fs.readdirSync(cacheDir);
    const shardFile = path.join(cacheDir, shard!);
    const raw = JSON.parse(fs.readFileSync(shardFile, 'utf8'));
    raw['a.bin'].hash = 'sha256:cached';
    fs.writeFileSync(shardFile, JSON.stringify(raw));
    assert.equal((await hashFile(f, new HashCache(cacheDir)))?.hash, 'sha256:cached');
    const big = await hashFile(f, new HashCache(null), 3);
    assert.match(big!.hash, /^sampled-sha256:/);
    assert.equal(big!.sampled, true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('Delta table files collapse into one table op with the version read or written', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-delta-'));
  try {
    const t = path.join(dir, 'features');
    fs.mkdirSync(path.join(t, '_delta_log'), { recursive: true });
    for (const v of [0, 1, 2]) fs.writeFileSync(path.join(t, '_delta_log', `${String(v).padStart(20, '0')}.json`), '{}');
    const { fileOps, tableOps } = splitTableOps([
      { path: path.join(t, '_delta_log', '00000000000000000001.json'), op: 'READ', atMs: 1 },
      { path: path.join(t, 'part-0.parquet'), op: 'READ', atMs: 2 },
      { path: path.join(t, 'part-9.parquet'), op: 'CREATE', atMs: 3 },
      { path: path.join(dir, 'loose.csv'), op: 'READ', atMs: 4 },
    ]);
    assert.deepEqual(fileOps.map((o) => path.basename(o.path)), ['loose.csv']);
    assert.deepEqual(tableOps.map((o) => [o.op, o.version]), [['READ', 1], ['MODIFY', 2]]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('git state records sha, branch, dirtiness and a diff hash', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-git-'));
  try {
    const git = (...a: string[]) => spawnSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...a], { cwd: dir, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(dir, 'train.py'), 'print(1)\n');
    git('add', '.');
    git('commit', '-qm', 'init');
    const clean = readGitState(dir)!;
    assert.match(clean.sha, /^[0-9a-f]{40}$/);
    assert.equal(clean.branch, 'main');
    assert.equal(clean.dirty, false);
    assert.equal(clean.localUrl, 'file:.');
    fs.writeFileSync(path.join(dir, 'train.py'), 'print(2)\n');
    const dirty = readGitState(dir)!;
    assert.equal(dirty.dirty, true);
    assert.match(dirty.dirtyDiffHash ?? '', /^sha256:/);
    assert.equal(readGitState(os.tmpdir()), null);
    assert.equal(scriptFromArgv(['python3', '-u', 'train.py', '--epochs', '3'], dir), path.join(dir, 'train.py'));
    assert.equal(scriptFromArgv(['python3', '-m', 'pkg.train'], dir), null);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('python packages are read through the interpreter, including a .dist-info on PYTHONPATH', () => {
  needTool('python3');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-py-'));
  try {
    const distInfo = path.join(dir, 'fancylib-2.5.0.dist-info');
    fs.mkdirSync(distInfo);
    fs.writeFileSync(path.join(distInfo, 'METADATA'), 'Metadata-Version: 2.1\nName: fancylib\nVersion: 2.5.0\n');
    const probe = probePython('python3', { ...process.env, PYTHONPATH: dir }, dir);
    assert.ok(probe, 'python3 -c could not report its packages');
    assert.match(probe!.version, /^3\./);
    assert.deepEqual(probe!.packages.find((p) => p.name === 'fancylib'), { name: 'fancylib', version: '2.5.0' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('selected environment variables redact secret-like names and leave out Retrace\'s own', () => {
  const v = selectVariables({ PATH: '/bin', AWS_SECRET_ACCESS_KEY: 'abc', OPENAI_API_KEY: 'sk', HOME: '/root', DB_PASSWORD: 'pw', RETRACE_X: '1' });
  assert.deepEqual(v, [
    { name: 'AWS_SECRET_ACCESS_KEY', value: '<redacted>' },
    { name: 'DB_PASSWORD', value: '<redacted>' },
    { name: 'OPENAI_API_KEY', value: '<redacted>' },
    { name: 'PATH', value: '/bin' },
  ]);
});
