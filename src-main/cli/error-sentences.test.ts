/**
 * Every error a CLI command raises itself, through the whole CLI (`runCli`): the exit code and
 * the exact sentence on stderr. (Damaged metadata DBs, run through the real process, are in
 * test/cli-damaged.test.ts; the lineage and table commands' own cases in their test files.)
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { RUN, lineageWorkspace, minute, stageLines } from '../lineage/lineage-workspace.test-support';
import { cliOutput } from './cli-io';
import { runCli } from './main';

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string; stdout: string }> {
  let stderr = '';
  let stdout = '';
  const errWrite = process.stderr.write.bind(process.stderr);
  const outWrite = cliOutput.write;
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  cliOutput.write = (t) => {
    stdout += t;
  };
  try {
    const code = await runCli(args);
    return { code, stderr, stdout };
  } finally {
    process.stderr.write = errWrite;
    cliOutput.write = outWrite;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const STAGES = [
  ...stageLines({ run: RUN(1), job: 'ingest', at: 0, ops: [{ path: 'data/raw.csv', op: 'CREATE' }] }),
  ...stageLines({ run: RUN(2), job: 'train', at: 2, ops: [{ path: 'data/raw.csv', op: 'READ' }, { path: 'models/m.pt', op: 'CREATE' }] }),
];

test('lineage commands: each bad argument is one sentence, exit 2 for usage, 1 for what does not exist', async () => {
  const ws = lineageWorkspace(STAGES);
  const w = ['-w', ws.paths.root];
  try {
    const cases: [string[], number, string][] = [
      [['graph', ...w, '--granularity', 'stage'], 2, '--granularity takes job or run, not "stage".'],
      [['graph', ...w, '--as-of', '2021-02-31T00:00:00Z'], 2, '--as-of "2021-02-31T00:00:00Z" is neither an ISO-8601 time nor epoch milliseconds.'],
      [['graph', ...w, '--as-of', 'yesterday'], 2, '--as-of "yesterday" is neither an ISO-8601 time nor epoch milliseconds.'],
      [['graph', ...w, '--as-of', '2025-12-31T00:00:00Z'], 1, 'No snapshot exists at or before 2025-12-31T00:00:00.000Z.'],
      [['export', ...w, '--format', 'csv'], 2, '--format takes openlineage or prov-json, not "csv".'],
      [['insights', 'latest-pipeline-using', ...w], 2, 'insights latest-pipeline-using needs a DATASET.'],
      [['impact', 'zzz', ...w], 1, 'No run or artifact matches "zzz"; give a run id (or unique prefix), a workspace-relative path, or namespace/name.'],
      [['impact', RUN(1), ...w, '--depth', '-1'], 2, '--depth takes a whole number, not "-1".'],
    ];
    for (const [args, code, sentence] of cases) {
      const r = await cli(args);
      assert.deepEqual([r.code, r.stderr], [code, `error: ${sentence}\n`], args.join(' '));
    }
    // A time inside the history is fine, the check above is not just "any --as-of fails".
    assert.equal((await cli(['graph', ...w, '--as-of', minute(3), '--json'])).code, 0);
  } finally {
    ws.dispose();
  }
});

test('rerun without --yes and without a terminal to ask in refuses', async () => {
  const ws = lineageWorkspace([]);
  try {
    const command = { _producer: 'p', _schemaURL: 's', argv: ['python3', 'train.py', '--epochs', '3'], cwd: ws.paths.root, exitCode: 0 };
    const line = (eventType: string, at: number) => JSON.stringify({
      eventType, eventTime: minute(at), producer: 'p', schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId: RUN(7), facets: { retrace_command: command } }, job: { namespace: 'ns', name: 'train' }, inputs: [], outputs: [],
    });
    fs.writeFileSync(path.join(ws.paths.logsDir, 'capture.jsonl'), `${line('START', 0)}\n${line('COMPLETE', 1)}\n`);
    const r = await cli(['rerun', RUN(7), '-w', ws.paths.root]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, 'error: Re-running needs a confirmation: answer the prompt in a terminal, or pass --yes after checking the plan above.\n');
  } finally {
    ws.dispose();
  }
});

test('open, when the desktop app is demanded but cannot start, says why in one sentence', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-open-'));
  try {
    const r = await cli(['open', dir, '--no-open'], { RETRACE_UI: 'electron', DISPLAY: '', WAYLAND_DISPLAY: '', ELECTRON_OVERRIDE_DIST_PATH: '' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: The desktop app cannot start: .+\.\n$/);
    assert.equal(r.stderr.split('\n').length, 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('bench with an unknown case names the known ones', async () => {
  const r = await cli(['bench', 'warp-speed', '--quick']);
  assert.deepEqual([r.code, r.stderr], [2, 'error: Unknown bench case "warp-speed"; known: api, ingest, lineage, lake, capture, store, ui, cli.\n']);
});
