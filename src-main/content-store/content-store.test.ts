import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { captureRun } from '../capture/capture-run';
import { ContentStore } from './content-store';
import { DEFAULT_STORE_CONFIG } from './store-config';

const sha = (s: string | Buffer) => `sha256:${crypto.createHash('sha256').update(s).digest('hex')}`;

function listObjects(dotDir: string): string[] {
  const root = path.join(dotDir, 'objects');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .filter((d) => /^[0-9a-f]{2}$/.test(d))
    .flatMap((d) => fs.readdirSync(path.join(root, d)).map((f) => `sha256:${d}${f}`))
    .sort();
}

describe('content store', () => {
  let ws: string;
  before(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-store-'));
  });
  after(() => fs.rmSync(ws, { recursive: true, force: true }));

  test('the same file written by three runs is stored once', async () => {
    fs.writeFileSync(path.join(ws, 'in.txt'), 'input\n');
    for (const i of [1, 2, 3]) {
      // Each run reads in.txt and writes the same bytes to its own path: one content, four paths.
      const r = await captureRun({ argv: ['sh', '-c', `cat in.txt > out-${i}.txt`], workspaceRoot: ws, cwd: ws, stdio: 'quiet', warn: () => undefined });
      assert.equal(r.exitCode, 0);
    }
    const store = new ContentStore(path.join(ws, '.retrace'));
    try {
      assert.equal(store.read(sha('input\n'))?.toString(), 'input\n');
      assert.deepEqual([store.stats().objects, store.stats().contentBytes], [1, 'input\n'.length], 'one object for the one content');
      assert.deepEqual(listObjects(path.join(ws, '.retrace')), [], 'small files are packed, not one file each');
    } finally {
      store.dispose();
    }
  });

  test('a file that changed after it was hashed is not stored under the old hash', async () => {
    const dot = path.join(ws, 'changed', '.retrace');
    const file = path.join(ws, 'changed', 'f.txt');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'now\n');
    const store = new ContentStore(dot);
    try {
      const r = await store.keep([{ absPath: file, hash: sha('then\n') }]);
      assert.deepEqual([r.stored, r.changed], [0, 1]);
      assert.equal(store.has(sha('then\n')), false);
      assert.equal(store.whyMissing(sha('then\n')), 'never-stored');
    } finally {
      store.dispose();
    }
  });

  test('files above the size limit or matching ignore rules are recorded by hash only, and say why', async () => {
    const dot = path.join(ws, 'limits', '.retrace');
    const dir = path.dirname(dot);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'big.bin'), Buffer.alloc(5000, 1));
    fs.writeFileSync(path.join(dir, 'small.txt'), 'small');
    const store = new ContentStore(dot, { ...DEFAULT_STORE_CONFIG, maxFileBytes: 4096 });
    try {
      const big = sha(Buffer.alloc(5000, 1));
      const r = await store.keep([
        { absPath: path.join(dir, 'big.bin'), hash: big },
        { absPath: path.join(dir, 'small.txt'), hash: sha('small'), ignored: true },
      ]);
      assert.deepEqual([r.stored, r.hashOnly], [0, 2]);
      assert.equal(store.whyMissing(big), 'too-big');
      assert.equal(store.whyMissing(sha('small')), 'ignored');
    } finally {
      store.dispose();
    }
  });

  test('the budget evicts least recently used objects first, never those of a pinned run; gc keeps to it too', async () => {
    const dir = path.join(ws, 'budget');
    const dot = path.join(dir, '.retrace');
    fs.mkdirSync(dir, { recursive: true });
    let t = 1_000;
    const clock = () => t;
    const files = ['a', 'b', 'c', 'd', 'e'].map((n) => {
      const body = n.repeat(5000);
      fs.writeFileSync(path.join(dir, n), body);
      return { absPath: path.join(dir, n), hash: sha(body), name: n };
    });
    const unlimited = new ContentStore(dot, { ...DEFAULT_STORE_CONFIG, budgetBytes: 1e12 }, clock);
    try {
      for (const f of files) {
        t += 10;
        await unlimited.keep([f]);
      }
      assert.equal(unlimited.stats().bytes, 5 * 5000);
      t += 10;
      unlimited.read(files[0]!.hash); // a is used again: now the most recent
      unlimited.pin('run-b', [files[1]!.hash]); // b is needed by a pinned run
    } finally {
      unlimited.dispose();
    }
    // Room for three objects: evict the two least recently used that no pinned run needs (c, d).
    const tight = new ContentStore(dot, { ...DEFAULT_STORE_CONFIG, budgetBytes: 3 * 5000 }, clock);
    try {
      const gone = tight.collectGarbage();
      assert.equal(gone.evicted, 2);
      const kept = files.filter((f) => tight.has(f.hash)).map((f) => f.name);
      assert.deepEqual(kept, ['a', 'b', 'e']);
      assert.equal(tight.whyMissing(files[2]!.hash), 'evicted');
      assert.ok(tight.stats().bytes <= 3 * 5000);
    } finally {
      tight.dispose();
    }
    // Even a budget of nothing leaves what the pinned run needs.
    const none = new ContentStore(dot, { ...DEFAULT_STORE_CONFIG, budgetBytes: 0 }, clock);
    try {
      const r = none.collectGarbage();
      assert.equal(r.overBudgetBytes, 5000);
      assert.deepEqual(files.filter((f) => none.has(f.hash)).map((f) => f.name), ['b']);
      assert.equal(none.unpin('run-b'), true);
      none.collectGarbage();
      assert.deepEqual(files.filter((f) => none.has(f.hash)).map((f) => f.name), []);
    } finally {
      none.dispose();
    }
  });

  test('large files are loose objects: a damaged one is not restored; loose objects survive a lost index, packed ones once exported', async () => {
    const dir = path.join(ws, 'damage');
    const dot = path.join(dir, '.retrace');
    fs.mkdirSync(dir, { recursive: true });
    const big = (c: string) => Buffer.alloc(200 * 1024, c);
    fs.writeFileSync(path.join(dir, 'x'), big('x'));
    fs.writeFileSync(path.join(dir, 'y'), big('y'));
    fs.writeFileSync(path.join(dir, 'small'), 'small');
    const store = new ContentStore(dot);
    await store.keep([{ absPath: path.join(dir, 'x'), hash: sha(big('x')) }, { absPath: path.join(dir, 'y'), hash: sha(big('y')) }, { absPath: path.join(dir, 'small'), hash: sha('small') }]);
    assert.deepEqual(listObjects(dot).sort(), [sha(big('x')), sha(big('y'))].sort(), 'the two large files are loose');
    assert.equal(store.exportLoose(), 1);
    store.dispose();
    for (const f of fs.readdirSync(path.join(dot, 'objects')).filter((n) => n.startsWith('index.db'))) fs.rmSync(path.join(dot, 'objects', f));
    const obj = store.objectPath(sha(big('x')))!;
    fs.chmodSync(obj, 0o644);
    fs.writeFileSync(obj, 'x cont'); // torn by a crash
    const again = new ContentStore(dot);
    try {
      assert.equal(again.stats().objects, 3, 'rebuilt from the loose objects on disk');
      assert.equal(await again.restoreTo(sha(big('x')), path.join(dir, 'restored-x')), false);
      assert.equal(fs.existsSync(path.join(dir, 'restored-x')), false);
      assert.equal(again.has(sha(big('x'))), false, 'the damaged object is dropped');
      assert.equal(await again.restoreTo(sha(big('y')), path.join(dir, 'sub', 'restored-y')), true);
      assert.ok(fs.readFileSync(path.join(dir, 'sub', 'restored-y')).equals(big('y')));
      assert.equal(again.read(sha('small'))?.toString(), 'small');
    } finally {
      again.dispose();
    }
  });
});
