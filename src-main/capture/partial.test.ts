import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { captureRun } from './capture-run';
import { footprintClasses } from './footprint';
import { needInterposer, needStrace, needTool } from './interposer.test-support';
import { ENV_TRACER } from './tracer-choice';

/**
 * What the recorder cannot follow is reported, never dropped: each case below makes the run
 * partial with a sentence naming the program or the mechanism.
 */
const quiet = { warn: () => {} };

function workspace(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-partial-')));
}

function compileWriter(ws: string, name: string, flags: string[]): string {
  needTool('cc', 'gcc');
  const out = path.join(ws, name);
  const src = '#include <fcntl.h>\n#include <unistd.h>\nint main(int c,char**v){int fd=open(c>1?v[1]:"w.txt",O_WRONLY|O_CREAT|O_TRUNC,0644);return fd<0;}\n';
  const r = spawnSync('cc', ['-O1', ...flags, '-x', 'c', '-o', out, '-'], { input: src, encoding: 'utf8' });
  assert.equal(r.status, 0, `cc failed (apt-get install gcc libc6-dev): ${r.stderr}`);
  return out;
}

test('a statically linked child with no strace to hand it to makes the run partial, naming it', async () => {
  needInterposer();
  const ws = workspace();
  try {
    const tool = compileWriter(ws, 'static_tool', ['-static']);
    const r = await captureRun({ argv: ['sh', '-c', './static_tool st.txt'], workspaceRoot: ws, cwd: ws, env: { ...process.env, [ENV_TRACER]: '', RETRACE_STRACE: '/nonexistent/strace' }, ...quiet });
    assert.equal(r.exitCode, 0);
    assert.equal(r.captureMode, 'preload');
    assert.equal(r.partial, true);
    assert.ok(r.partialReasons.some((m) => m.includes(`statically linked program ${tool} was not recorded`)), r.partialReasons.join('\n'));
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('a statically linked child is recorded through strace when strace works', async () => {
  needInterposer();
  needStrace();
  const ws = workspace();
  try {
    compileWriter(ws, 'static_tool', ['-static']);
    const r = await captureRun({ argv: ['sh', '-c', './static_tool st.txt'], workspaceRoot: ws, cwd: ws, env: { ...process.env, [ENV_TRACER]: '' }, ...quiet });
    assert.deepEqual([r.captureMode, r.partial, footprintClasses(r.footprint).OUTPUT_ADDED], ['preload', false, ['st.txt']]);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('a setuid program run inside the command makes the run partial', async () => {
  needInterposer();
  const ws = workspace();
  try {
    // As root: a copy owned by nobody (the loader then ignores LD_PRELOAD). Otherwise: any
    // setuid-root program of the system, asked only for its version.
    let argv: string[];
    if (process.getuid?.() === 0) {
      const prog = compileWriter(ws, 'suid_tool', []);
      fs.chownSync(prog, 65534, 65534);
      fs.chmodSync(prog, 0o4755);
      fs.chmodSync(ws, 0o755);
      argv = ['sh', '-c', `${prog} /tmp/retrace-suid-probe-${process.pid}.txt || true`];
    } else {
      const prog = ['/usr/bin/su', '/bin/su', '/usr/bin/passwd', '/usr/bin/chsh'].find((p) => fs.existsSync(p) && (fs.statSync(p).mode & 0o4000) !== 0);
      assert.ok(prog, 'no setuid program found to run (not root, and no su/passwd/chsh with the setuid bit)');
      argv = ['sh', '-c', `${prog} --version > /dev/null 2>&1 || true`];
    }
    const r = await captureRun({ argv, workspaceRoot: ws, cwd: ws, env: { ...process.env, [ENV_TRACER]: '' }, ...quiet });
    assert.equal(r.partial, true);
    assert.ok(r.partialReasons.some((m) => /setuid\/setgid: it ran unrecorded/.test(m)), r.partialReasons.join('\n'));
  } finally {
    fs.rmSync(`/tmp/retrace-suid-probe-${process.pid}.txt`, { force: true });
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('turning syscall user dispatch off is reported as a partial run', async () => {
  needInterposer();
  const ws = workspace();
  try {
    const r = await captureRun({ argv: ['sh', '-c', 'echo x > a.txt'], workspaceRoot: ws, cwd: ws, env: { ...process.env, [ENV_TRACER]: '', RETRACE_SUD: '0' }, ...quiet });
    assert.deepEqual(footprintClasses(r.footprint).OUTPUT_ADDED, ['a.txt']);
    assert.ok(r.partialReasons.some((m) => /outside libc were not watched \(RETRACE_SUD=0/.test(m)), r.partialReasons.join('\n'));
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});
