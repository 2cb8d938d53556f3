import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { retraceCliArgv, retraceInstallRoot } from '../../capture/install-paths';
import { type BenchCase, type BenchMetric, nowMs, percentile } from '../bench-case';

/**
 * Cold start of the `retrace` command, each invocation a new process, against `node -e 0` in
 * the same rounds (interleaved, so a busy machine slows both alike): `--version`, `--help`,
 * and one cheap real invocation per command on an empty workspace. A command loads what it
 * runs only when it runs, so each number shows what that command costs to start.
 */
interface Invocation {
  readonly name: string;
  readonly args: readonly string[];
  /** For commands that keep running: the output line that means "started"; the process is then stopped. */
  readonly until?: RegExp;
}

const cli: BenchCase = {
  name: 'cli',
  description: 'CLI cold start: --version, --help and one cheap call per command, each vs node -e 0 (medians, interleaved)',
  async run(ctx) {
    const rounds = ctx.quick ? 3 : 11;
    const [node, bin] = retraceCliArgv() as [string, string];
    const built = fs.existsSync(path.join(retraceInstallRoot() ?? '', 'dist', 'main', 'entry-node.js')) && !process.env.RETRACE_FROM_SOURCE;
    const ws = path.join(ctx.tmpDir, 'ws');
    fs.mkdirSync(path.join(ws, '.retrace', 'logs'), { recursive: true });
    const env = { ...process.env, RETRACE_NO_BROWSER: '1' };
    const once = (args: readonly string[]) => spawnSync(node, [bin, ...args], { env, cwd: ws, stdio: 'ignore' });
    if (once(['ingest', '-w', ws]).status !== 0) throw new Error('retrace ingest failed on an empty workspace');

    const calls: Invocation[] = [
      { name: '--version', args: ['--version'] },
      { name: '--help', args: ['--help'] },
      { name: 'run -- true', args: ['run', '-w', ws, '--', 'true'] },
      { name: 'ingest', args: ['ingest', '-w', ws, '--json'] },
      { name: 'graph', args: ['graph', '-w', ws, '--json'] },
      { name: 'snapshots', args: ['snapshots', '-w', ws, '--json'] },
      { name: 'footprint (unknown run)', args: ['footprint', '-w', ws, 'no-such-run'] },
      { name: 'impact (unknown run)', args: ['impact', '-w', ws, 'no-such-run'] },
      { name: 'search', args: ['search', '-w', ws, 'train'] },
      { name: 'insights most-used', args: ['insights', '-w', ws, 'most-used'] },
      { name: 'export', args: ['export', '-w', ws, '--format', 'openlineage'] },
      { name: 'repro (unknown run)', args: ['repro', '-w', ws, 'no-such-run'] },
      { name: 'rerun (unknown run)', args: ['rerun', '-w', ws, 'no-such-run', '--yes'] },
      { name: 'table history (no table)', args: ['table', 'history', path.join(ctx.tmpDir, 'no-table')] },
      { name: 'bench --help', args: ['bench', '--help'] },
      { name: 'tail (until tailing)', args: ['tail', '-w', ws], until: /^Tailing /m },
      { name: 'serve (until READY)', args: ['serve', ws, '--port', '0', '--no-open'], until: /^READY /m },
    ];
    const base: number[] = [];
    const times = new Map<string, number[]>(calls.map((c) => [c.name, []]));
    for (let r = 0; r < rounds; r++) {
      base.push(timeSync(node, ['-e', '0'], env, ws));
      for (const c of calls) times.get(c.name)!.push(c.until ? await timeUntil(node, [bin, ...c.args], env, ws, c.until) : timeSync(node, [bin, ...c.args], env, ws));
      if (r === 0) ctx.log(`cli: round 1 of ${rounds} done`);
    }
    const baseline = percentile(base, 50);
    const metrics: BenchMetric[] = [{ name: 'node -e 0', value: round(baseline), unit: 'ms', note: `median of ${rounds}; the baseline every ratio below divides by` }];
    const note = built ? undefined : 'run from the TypeScript sources (no dist/): not representative';
    for (const c of calls) {
      const ms = percentile(times.get(c.name)!, 50);
      const ratio = ms / baseline;
      const goal = c.name === '--version' || c.name === '--help';
      metrics.push({ name: `${c.name}`, value: round(ms), unit: 'ms', note: `${ratio.toFixed(2)} × node -e 0${note ? `; ${note}` : ''}` });
      if (goal) metrics.push({ name: `${c.name} / node -e 0`, value: round(ratio), unit: '×', goal: '≤ 1.5 ×', met: ratio <= 1.5 });
    }
    return metrics;
  },
};

function timeSync(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): number {
  const t0 = nowMs();
  spawnSync(cmd, args, { env, cwd, stdio: 'ignore' });
  return nowMs() - t0;
}

/** Time until a long-running command prints `ready` (stdout or stderr); then it is stopped. */
function timeUntil(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string, ready: RegExp): Promise<number> {
  const t0 = nowMs();
  const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`retrace ${args.slice(1).join(' ')} did not start within 30 s`)); }, 30_000);
    const seen = (d: Buffer) => {
      out += d;
      if (!ready.test(out)) return;
      const ms = nowMs() - t0;
      clearTimeout(timer);
      child.once('exit', () => resolve(ms));
      child.kill('SIGTERM');
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.once('error', reject);
  });
}

const round = (v: number): number => Math.round(v * 100) / 100;

export default cli;
