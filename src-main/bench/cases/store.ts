import fs from 'node:fs';
import path from 'node:path';
import { captureRun } from '../../capture/capture-run';
import { probePython } from '../../capture/environment';
import { keepInContentStore } from '../../content-store/keep-run-files';
import { workspacePaths } from '../../workspace/workspace-paths';
import { nowMs, percentile, type BenchCase, type BenchMetric } from '../bench-case';

/**
 * What the content store adds to `retrace run` (issue 15) on the capture bench's I/O-heavy
 * case: a script writing and reading back 20,000 small files. Two contents: every file the
 * same 64 bytes (one object, the rest deduplicated — the capture bench's own case) and every
 * file different (20,000 new objects: the worst case). Measured two ways: whole captured runs
 * with the store on and off, alternated (noisy on a shared machine: tracing dominates), and the
 * store step alone on the same footprint — new objects, then the same files again (all present).
 */
const IO_HEAVY = `
import os, sys
n, out, unique = int(sys.argv[1]), sys.argv[2], sys.argv[3] == '1'
os.makedirs(out, exist_ok=True)
for i in range(n):
    with open(f'{out}/f{i:05d}.txt', 'w') as f:
        f.write((f'{out}-{i}-' if unique else '') + 'x' * 64)
total = 0
for i in range(n):
    with open(f'{out}/f{i:05d}.txt') as f:
        total += len(f.read())
print(total)
`;

const storeBench: BenchCase = {
  name: 'store',
  description: 'content store cost on retrace run: 20,000 small files, identical and all different',
  async run(ctx) {
    const ws = path.join(ctx.tmpDir, 'ws');
    fs.mkdirSync(path.join(ws, '.retrace'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'io_heavy.py'), IO_HEAVY);
    const py = probePython('python3', process.env, ws)?.executable ?? 'python3';
    const files = ctx.quick ? 2_000 : 20_000;
    const reps = ctx.quick ? 2 : 3;
    const paths = workspacePaths(ws);
    const setStore = (enabled: boolean) => fs.writeFileSync(paths.configFile, JSON.stringify({ store: { enabled } }));
    const metrics: BenchMetric[] = [];
    let n = 0;
    for (const unique of [false, true]) {
      const label = `${files} files ${unique ? 'all different' : 'identical'}`;
      ctx.log(`store: ${label}`);
      const timed: Record<'on' | 'off', number[]> = { on: [], off: [] };
      let footprint: Awaited<ReturnType<typeof captureRun>>['footprint'] = [];
      for (let r = 0; r < reps; r++) {
        for (const mode of ['off', 'on'] as const) {
          setStore(mode === 'on');
          const t0 = nowMs();
          const res = await captureRun({ argv: [py, 'io_heavy.py', String(files), `out-${n++}`, unique ? '1' : '0'], workspaceRoot: ws, cwd: ws, stdio: 'quiet', warn: ctx.log });
          timed[mode].push(nowMs() - t0);
          if (res.exitCode !== 0) throw new Error(`the I/O-heavy script exited ${res.exitCode}`);
          if (mode === 'off') footprint = res.footprint;
        }
      }
      const added = percentile(timed.on, 50) - percentile(timed.off, 50);
      metrics.push({
        name: `retrace run, ${label}: store on − off (medians)`,
        value: Math.round(added),
        unit: 'ms',
        note: `medians ${percentile(timed.on, 50).toFixed(0)} / ${percentile(timed.off, 50).toFixed(0)} ms, best ${Math.min(...timed.on).toFixed(0)} / ${Math.min(...timed.off).toFixed(0)} ms, ${reps} alternated runs each; tracing noise dominates on a shared machine`,
      });
      // The store step alone, on the footprint of a run: into an empty store, then with every file already stored.
      setStore(true);
      const fresh: number[] = [];
      const again: number[] = [];
      let first: Awaited<ReturnType<typeof keepInContentStore>> = null;
      for (let r = 0; r < 3; r++) {
        fs.rmSync(path.join(paths.dotDir, 'objects'), { recursive: true, force: true });
        const t1 = nowMs();
        first = await keepInContentStore(paths, footprint);
        fresh.push(nowMs() - t1);
        const t2 = nowMs();
        await keepInContentStore(paths, footprint);
        again.push(nowMs() - t2);
      }
      metrics.push({
        name: `store step alone, ${label}`,
        value: Math.round(percentile(fresh, 50)),
        unit: 'ms',
        note: `median of 3 into an empty store (${first?.stored ?? 0} new objects for ${footprint.length} footprint entries); ${percentile(again, 50).toFixed(0)} ms when every file is already stored`,
      });
    }
    return metrics;
  },
};

export default storeBench;
