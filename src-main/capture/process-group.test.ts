import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitGone } from '../../test/processes.test-support';
import { runBare } from './tracer';

test('cancelling stops the command and the background job it started; output streams to the sink', async () => {
  const controller = new AbortController();
  let out = '';
  const pids: number[] = [];
  // Cancel once all three lines arrived: the stderr one may trail the two pids on stdout.
  const seen = (b: Buffer) => {
    out += b.toString();
    for (const m of out.matchAll(/^(bg|sh) (\d+)$/gm)) if (!pids.includes(Number(m[2]))) pids.push(Number(m[2]));
    if (pids.length === 2 && out.includes('to stderr') && !controller.signal.aborted) controller.abort('Cancelled by the test.');
  };
  const status = runBare({
    argv: ['sh', '-c', 'sleep 30 & echo "bg $!"; echo "sh $$"; echo "to stderr" >&2; wait'],
    cwd: process.cwd(),
    env: process.env,
    signal: controller.signal,
    stdio: { stdout: seen, stderr: seen },
  });
  const r = await status;
  assert.equal(r.signal, 'SIGTERM', 'the shell was terminated');
  assert.equal(pids.length, 2);
  assert.deepEqual(await waitGone(pids), [], 'the shell and its background job are gone');
  assert.match(out, /to stderr/);
});

test('without a signal the command is not detached and finishes normally', async () => {
  const r = await runBare({ argv: ['sh', '-c', 'exit 3'], cwd: process.cwd(), env: process.env, stdio: 'quiet' });
  assert.deepEqual(r, { exitCode: 3, signal: null });
});
