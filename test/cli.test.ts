import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { buildProgram } from '../src-main/cli/main';
import { retrace, startRetraceServer } from './cli.test-support';

test('--help lists the DESIGN §8 commands, and each is a real command with its own usage', () => {
  const r = retrace(['--help']);
  assert.equal(r.code, 0);
  assert.doesNotMatch(r.stdout, /not built/i);
  // Each command with an option or argument that only its real registrar defines.
  const own: Record<string, RegExp> = {
    open: /--demo/, serve: /--port <n>/, demo: /\[dir\]/, run: /--stage/, ingest: /--rebuild/, tail: /-w, --workspace/,
    graph: /--as-of/, snapshots: /--json/, footprint: /<run>/, impact: /--depth/, repro: /<run>/, rerun: /--yes/,
    search: /<query\.\.\.>/, insights: /<question>/, table: /write/, export: /--format/, bench: /--quick/,
  };
  for (const [c, option] of Object.entries(own)) {
    assert.match(r.stdout, new RegExp(`^  ${c}\\b`, 'm'), `${c} is listed`);
    const cmd = buildProgram().commands.find((x) => x.name() === c);
    assert.ok(cmd, `${c} is registered`);
    const help = cmd.helpInformation();
    assert.match(help, new RegExp(`^Usage: retrace ${c}\\b`, 'm'));
    assert.match(help, option, `${c} --help shows ${option}`);
  }
});

test('an unknown command is a usage error (exit 2) naming the command', () => {
  const r = retrace(['frobnicate']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
});

test('serve prints READY with a tokenized 127.0.0.1 URL and stops cleanly on SIGTERM', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-cli-'));
  try {
    const srv = await startRetraceServer(['serve', dir, '--port', '0', '--no-open']);
    assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
    const health = await fetch(new URL('/healthz', srv.url));
    assert.equal(health.status, 200);
    assert.ok(fs.existsSync(path.join(dir, '.retrace', 'retrace.db')), 'the workspace DB was created');
    await srv.stop();
    assert.equal(srv.child.exitCode, 0, srv.stderr());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('open without an Electron binary or display says why and serves the browser UI', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-cli-'));
  try {
    const env = { DISPLAY: '', WAYLAND_DISPLAY: '', ELECTRON_OVERRIDE_DIST_PATH: '' };
    const srv = await startRetraceServer(['open', dir, '--no-open'], env);
    assert.match(srv.stderr(), /Opening the browser UI instead of the desktop app: .+\./);
    assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    await srv.stop();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad --port is refused with one sentence', () => {
  const r = retrace(['serve', os.tmpdir(), '--port', 'eighty']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: --port takes a whole number, not "eighty"\.$/m);
});

test('bench --quick prints a Markdown table of measured numbers and writes JSON', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-bench-'));
  try {
    const json = path.join(dir, 'out', 'bench.json');
    const r = retrace(['bench', 'api', '--quick', '--json', json]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\| case \| metric \| value \| unit \| goal \| met \|/);
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('| api |'));
    assert.equal(rows.length, 6);
    for (const row of rows) assert.ok(Number(row.split('|')[3]) > 0, `a measured positive number in ${row}`);
    const report = JSON.parse(fs.readFileSync(json, 'utf8'));
    assert.equal(report.cases[0].name, 'api');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
