import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ensureInterposerForTests, needStrace } from './interposer.test-support';
import { chooseTracer } from './tracer-choice';

/**
 * `retrace run` through a real process: stdio, exit codes and forwarded signals. Uses the real
 * CLI (bin/retrace.mjs) once `run` is registered there, else the registrar in a bare program.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const HARNESS = path.join(ROOT, 'test/fixtures/capture/run-cli.ts');
const realCliHasRun = fs.readFileSync(path.join(ROOT, 'src-main/cli/all-commands.ts'), 'utf8').includes('registerRunCommand');
const cliArgv = (args: string[]): string[] =>
  realCliHasRun ? [path.join(ROOT, 'bin/retrace.mjs'), ...args] : ['--import', import.meta.resolve('tsx'), HARNESS, ...args];
const cliEnv = { ...process.env, RETRACE_FROM_SOURCE: '1' };
ensureInterposerForTests();

function tmpWs(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-cli-'));
}

test('retrace run passes stdin, stdout and the exit code through, and records the run', () => {
  needStrace();
  const ws = tmpWs();
  try {
    const r = spawnSync(
      process.execPath,
      cliArgv(['run', '-w', ws, '--stage', 'upper', '--', 'python3', '-c', 'import sys; d=sys.stdin.read(); open("o.txt","w").write(d); print(d.upper()); sys.exit(3)']),
      { cwd: ws, input: 'hello', encoding: 'utf8', env: cliEnv, timeout: 60_000 },
    );
    assert.equal(r.stdout.trim(), 'HELLO');
    assert.equal(r.status, 3);
    const lines = fs.readFileSync(path.join(ws, '.retrace/logs/runs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((e) => e.eventType), ['START', 'FAIL']);
    assert.equal(lines[1].job.name, 'upper');
    const ops = lines[1].run.facets.retrace_footprint.ops;
    assert.deepEqual(ops.map((o: { path: string; op: string }) => `${o.op} ${o.path}`), ['CREATE o.txt']);
    assert.equal(lines[1].run.facets.retrace_environment.interpreter.name, 'python');
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('SIGTERM sent to retrace run reaches the command, and retrace dies of the same signal', async () => {
  needStrace();
  const ws = tmpWs();
  try {
    const child = spawn(process.execPath, cliArgv(['run', '-w', ws, '--', 'python3', '-c', 'import time; open("started","w").close(); time.sleep(60)']), {
      cwd: ws,
      env: cliEnv,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const deadline = Date.now() + 30_000;
    while (!fs.existsSync(path.join(ws, 'started')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(fs.existsSync(path.join(ws, 'started')), 'the command started');
    const t0 = Date.now();
    child.kill('SIGTERM');
    const res = await exited;
    assert.ok(Date.now() - t0 < 10_000, 'the command stopped promptly');
    assert.equal(res.signal, 'SIGTERM');
    const last = JSON.parse(fs.readFileSync(path.join(ws, '.retrace/logs/runs.jsonl'), 'utf8').trim().split('\n').pop()!);
    assert.equal(last.eventType, 'FAIL');
    assert.equal(last.run.facets.retrace_command.signal, 'SIGTERM');
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('a pipeline script calling retrace run per stage yields a pipeline run with linked stage runs', () => {
  needStrace();
  const ws = tmpWs();
  try {
    // `retrace` on PATH, the way a user's pipeline script calls it.
    const bin = path.join(ws, 'bin');
    fs.mkdirSync(bin);
    const [first, ...rest] = [process.execPath, ...cliArgv([])];
    fs.writeFileSync(path.join(bin, 'retrace'), `#!/bin/sh\nexec ${[first, ...rest].map((a) => `'${a}'`).join(' ')} "$@"\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(ws, 'pipe.sh'), 'set -e\nretrace run --stage a -- sh -c "echo 1 > a.txt"\nretrace run --stage b -- sh -c "cat a.txt > b.txt"\n');
    fs.mkdirSync(path.join(ws, '.retrace'));
    const r = spawnSync(process.execPath, cliArgv(['run', '--pipeline', 'nightly', '--', 'sh', 'pipe.sh']), {
      cwd: ws,
      encoding: 'utf8',
      env: { ...cliEnv, PATH: `${bin}:${process.env.PATH}` },
      timeout: 90_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const finals = fs.readFileSync(path.join(ws, '.retrace/logs/runs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.eventType !== 'START');
    const pipeline = finals.find((e) => e.job.name === 'nightly');
    assert.equal(pipeline.run.facets.retrace_command.captureMode, 'children');
    const stages = finals.filter((e) => e.job.name !== 'nightly');
    assert.deepEqual(stages.map((e) => e.job.name), ['a', 'b']);
    for (const s of stages) {
      assert.equal(s.run.facets.parent.run.runId, pipeline.run.runId);
      // The interposer by default (sh is dynamically linked), strace under RETRACE_TRACER=strace.
      assert.equal(s.run.facets.retrace_command.captureMode, chooseTracer(['sh'], cliEnv, ws).tracer);
    }
    assert.deepEqual(stages[1].run.facets.retrace_footprint.ops.map((o: { op: string; path: string }) => `${o.op} ${o.path}`).sort(), ['CREATE b.txt', 'READ a.txt']);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});
