import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import { cliOutput } from '../cli-io';
import { registerIngestCommands } from './ingest';
import { tempWorkspace } from '../../provenance/temp-workspace.test-support';

/** Runs `retrace ingest …` in-process and captures stdout. */
async function run(args: string[]): Promise<string> {
  const program = new Command('retrace').exitOverride();
  registerIngestCommands(program);
  let out = '';
  const write = cliOutput.write;
  cliOutput.write = (text) => {
    out += text;
  };
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    cliOutput.write = write;
  }
  return out;
}

test('retrace ingest --json: counts and every rejected line; --rebuild gives the same numbers', async () => {
  const ws = tempWorkspace();
  ws.db.close();
  try {
    const ev = (runId: string, type: string) => JSON.stringify({ eventType: type, eventTime: '2026-01-01T00:00:00Z', run: { runId }, job: { namespace: 'n', name: 'j' } });
    fs.writeFileSync(path.join(ws.paths.logsDir, 'a.jsonl'), [ev('r1', 'START'), 'oops', ev('r1', 'COMPLETE')].join('\n') + '\n');
    const extra = path.join(ws.paths.root, 'extra');
    fs.mkdirSync(extra);
    fs.writeFileSync(path.join(extra, 'x-20260101-000000.000001.json'), ev('r2', 'START'));
    const r = JSON.parse(await run(['ingest', '-w', ws.paths.root, extra, '--json'])) as Record<string, unknown>;
    assert.equal(r.events, 3);
    assert.equal(r.runs, 2);
    assert.equal(r.artifacts, 0);
    assert.deepEqual((r.rejected as { file: string; line: number }[]).map((x) => [x.file, x.line]), [['.retrace/logs/a.jsonl', 2]]);
    const again = JSON.parse(await run(['ingest', '-w', ws.paths.root, '--rebuild', '--json'])) as Record<string, unknown>;
    assert.deepEqual([again.events, again.runs, (again.rejected as unknown[]).length, again.rebuilt], [3, 2, 1, true]);
    const text = await run(['ingest', '-w', ws.paths.root]);
    assert.match(text, /^Ingested 0 events from 1 file \(/);
  } finally {
    fs.rmSync(ws.paths.root, { recursive: true, force: true });
  }
});
