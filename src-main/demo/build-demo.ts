import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { openDb } from '../db/open-db';
import { ingestOnce } from '../provenance/ingest';
import { workspacePaths } from '../workspace/workspace-paths';
import { captureRun, startPipelineRun } from '../capture/capture-run';
import { ContentStore } from '../content-store/content-store';
import { latestTableVersion } from '../capture/delta-tables';
import { rawDeliveryCsv } from './raw-deliveries';
import { retraceCliArgv, retraceInstallRoot } from '../capture/install-paths';
import { findInterposer } from '../capture/tracer-choice';
import { detectStrace } from '../capture/tracer';

/**
 * `retrace demo [DIR]`: the churn pipeline of examples/churn-pipeline run through real captures
 * over six simulated days, so every overlay and warning has something to show:
 *   day 1–2  new raw deliveries, feature table commits, models trained and promoted
 *   day 3    a code change (train.py tuned, committed)                → CODE_CHANGED
 *            and a feature renamed (tickets_total → support_tickets)   → a renamed column
 *   day 4    a package appears via a .dist-info folder on PYTHONPATH  → ENVIRONMENT_CHANGED
 *   day 5    a malformed delivery makes ingest fail                   → a FAIL run
 *   day 6    corrected re-deliveries overwrite raw inputs, an old staged file is cleaned up,
 *            evaluate.py is edited without a commit                   → INPUT_DATA_CHANGED,
 *            INPUT_MISSING, stale artifacts, a dirty tree
 *            and the feature days_active is dropped (committed)        → a dropped column
 * The stages declare their column lineage (raw columns → staged → feature table → training
 * set) in OpenLineage events of their own (examples/churn-pipeline/pipeline/lineage.py).
 * Without python3 or strace, the recorded copy under examples/recorded/workspace is used.
 * The workspace is built in a sibling temp folder and renamed into place, so a failed build
 * leaves nothing half-written.
 */
export const DEMO_PIPELINE = 'churn-daily';
const DAY0_UTC = Date.UTC(2026, 0, 5, 6, 0, 0);
const SLOT_MS = 7 * 60_000;

export interface DemoOptions {
  onProgress?(msg: string): void;
  /** Use the recorded copy even where a live build is possible (tests, offline previews). */
  forceRecorded?: boolean;
}

export async function buildDemoWorkspace(dir: string, opts: DemoOptions = {}): Promise<{ recorded: boolean }> {
  const root = path.resolve(dir);
  const markerFile = path.join(root, '.retrace', 'demo.json');
  if (fs.existsSync(markerFile)) {
    ingestDemo(root);
    return { recorded: Boolean((JSON.parse(fs.readFileSync(markerFile, 'utf8')) as { recorded?: boolean }).recorded) };
  }
  if (fs.existsSync(root) && fs.readdirSync(root).length > 0) {
    throw new AppError('CONFLICT', `${root} is not empty; give "retrace demo" a new or empty folder.`);
  }
  const progress = opts.onProgress ?? (() => {});
  const install = retraceInstallRoot();
  if (!install) throw new AppError('NOT_FOUND', 'Could not find the Retrace installation folder (bin/retrace.mjs) to copy the demo from.');
  const building = `${root}.building-${process.pid}`;
  fs.rmSync(building, { recursive: true, force: true });
  fs.mkdirSync(building, { recursive: true });
  let recorded = opts.forceRecorded === true;
  try {
    if (!recorded) {
      const why = liveBuildBlocker();
      if (why) {
        progress(`${why}; using the recorded demo history instead.`);
        recorded = true;
      }
    }
    if (recorded) copyRecorded(path.join(install, 'examples', 'recorded', 'workspace'), building);
    else await buildLive(building, install, progress);
    fs.writeFileSync(path.join(building, '.retrace', 'demo.json'), JSON.stringify({ recorded, builtAt: new Date().toISOString() }) + '\n');
    if (fs.existsSync(root)) fs.rmdirSync(root);
    fs.renameSync(building, root);
  } catch (err) {
    fs.rmSync(building, { recursive: true, force: true });
    throw err;
  }
  ingestDemo(root);
  return { recorded };
}

/**
 * The demo's logs into its metadata DB, so every command answers right after `retrace demo`.
 * Done in the final folder, not the one being built: the DB records the log files' paths.
 */
function ingestDemo(root: string): void {
  const paths = workspacePaths(root);
  const db = openDb(paths.dbFile);
  try {
    ingestOnce({ paths, db });
  } finally {
    db.close();
  }
}

function liveBuildBlocker(): string | null {
  if (spawnSync('python3', ['--version'], { encoding: 'utf8' }).status !== 0) return 'python3 is not installed';
  // Either tracer records the live build: the interposer (when built) or strace.
  if (findInterposer()) return null;
  const s = detectStrace();
  return s.available ? null : (s.reason ?? 'strace is unavailable');
}

function copyRecorded(from: string, to: string): void {
  if (!fs.existsSync(path.join(from, '.retrace', 'logs'))) {
    throw new AppError('NOT_FOUND', `The recorded demo copy is missing at ${from}.`);
  }
  fs.cpSync(from, to, { recursive: true });
}

/**
 * What a recorded copy keeps of a live build: everything but git internals, caches, the content
 * store's index and the workspace's .gitignore (which would hide `.retrace/` from the repository that ships the copy).
 */
export function copyForRecording(builtDir: string, target: string): void {
  fs.rmSync(target, { recursive: true, force: true });
  // Small objects live in the store's index, which is not shipped: write them out as files.
  const store = new ContentStore(path.join(builtDir, '.retrace'));
  try {
    store.exportLoose();
  } finally {
    store.dispose();
  }
  fs.cpSync(builtDir, target, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(builtDir, src);
      // The content store's objects are kept (replays and diffs of the recorded history need them), its index is rebuilt from them.
      return !(rel === '.git' || rel === '.gitignore' || rel.startsWith('.git/') || /^\.retrace\/(retrace\.db.*|capture-hash-cache|demo\.json|objects\/(index\.db.*|tmp))$/.test(rel));
    },
  });
}

function tableCommandWorks(cli: string[]): boolean {
  const r = spawnSync(cli[0]!, [...cli.slice(1), 'table', 'write', '--help'], { encoding: 'utf8', env: { ...process.env } });
  return r.status === 0 && r.stdout.includes('--input');
}

async function buildLive(ws: string, install: string, progress: (m: string) => void): Promise<void> {
  const example = path.join(install, 'examples', 'churn-pipeline');
  fs.cpSync(path.join(example, 'pipeline'), path.join(ws, 'pipeline'), { recursive: true, filter: (s) => !s.includes('__pycache__') });
  fs.copyFileSync(path.join(example, 'run_pipeline.sh'), path.join(ws, 'run_pipeline.sh'));
  fs.copyFileSync(path.join(example, 'README.md'), path.join(ws, 'README.md'));
  fs.writeFileSync(path.join(ws, '.gitignore'), '.retrace/\n__pycache__/\n');
  const git = gitIn(ws);
  git(DAY0_UTC, 'init', '-q', '-b', 'main');
  git(DAY0_UTC, 'add', '-A');
  git(DAY0_UTC, 'commit', '-qm', 'churn pipeline');

  // The Retrace the stages call for `retrace table`: this installation, unless RETRACE_CLI names another.
  const cli = process.env.RETRACE_CLI ? (JSON.parse(process.env.RETRACE_CLI) as string[]) : retraceCliArgv();
  const tables = tableCommandWorks(cli);
  if (!tables) progress('"retrace table" is not available yet; the feature group is written as a JSON-lines snapshot.');
  const tableDir = path.join(ws, 'Churn_featurestore.db', 'customer_features_1');
  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    RETRACE_CLI: JSON.stringify(cli),
    RETRACE_DEMO_TABLES: tables ? '1' : '0',
    PYTHONDONTWRITEBYTECODE: '1',
  };
  delete baseEnv.RETRACE_PARENT_RUN_ID;
  let modelVersion = 0;
  let featureVersion = -1;

  const raw = (day: number, o?: Parameters<typeof rawDeliveryCsv>[1], sub = 'raw'): void => {
    fs.mkdirSync(path.join(ws, 'data', sub), { recursive: true });
    fs.writeFileSync(path.join(ws, 'data', sub, `day-${String(day).padStart(2, '0')}.csv`), rawDeliveryCsv(day, o));
  };
  const at = (day: number, slot: number): number => DAY0_UTC + (day - 1) * 86_400_000 + slot * SLOT_MS;

  const runDay = async (day: number, ingestDays: number[], extraEnv: NodeJS.ProcessEnv, maintenance: [string, string[]][] = []): Promise<void> => {
    let slot = 0;
    const pipelineOffset = at(day, 0) - Date.now();
    const nextModel = modelVersion + 1;
    const pipe = startPipelineRun({
      workspaceRoot: ws,
      pipeline: DEMO_PIPELINE,
      argv: ['sh', 'run_pipeline.sh', String(day), 'latest', String(nextModel)],
      env: { ...baseEnv, ...extraEnv },
      timeOffsetMs: pipelineOffset,
    });
    const stage = async (name: string, script: string, args: string[]): Promise<number> => {
      slot++;
      const offset = at(day, slot) - Date.now();
      progress(`day ${day}: ${name}`);
      const r = await captureRun({
        argv: ['python3', `pipeline/${script}`, ...args],
        workspaceRoot: ws,
        cwd: ws,
        stage: name,
        env: { ...pipe.childEnv, RETRACE_TIME_OFFSET_MS: String(offset) },
        timeOffsetMs: offset,
        stdio: 'quiet',
      });
      return r.exitCode ?? 1;
    };
    const steps: [string, string, () => string[]][] = [
      ...maintenance.map(([script, args]): [string, string, () => string[]] => [script.replace(/\.py$/, ''), script, () => args]),
      ['ingest', 'ingest.py', () => ingestDays.map(String)],
      ['features', 'features.py', () => []],
      ['training_set', 'training_set.py', () => {
        featureVersion = tables ? (latestTableVersion(tableDir) ?? 0) : featureVersion + 1;
        return [String(featureVersion), `Churn_Training_Datasets/churn_td_${featureVersion}`];
      }],
      ['train', 'train.py', () => [`Churn_Training_Datasets/churn_td_${featureVersion}`, `Models/churn/${nextModel}`, `Experiments/application_1767225600_${String(nextModel).padStart(4, '0')}_1`]],
      ['evaluate', 'evaluate.py', () => [`Models/churn/${nextModel}`]],
      ['promote', 'promote.py', () => [`Models/churn/${nextModel}`]],
    ];
    for (const [name, script, args] of steps) {
      const code = await stage(name, script, args());
      if (code !== 0) {
        if (!(day === 5 && name === 'ingest')) throw new AppError('INTERNAL', `The demo stage "${name}" of day ${day} failed with exit code ${code}; run it by hand in ${ws} to see why.`);
        progress(`day ${day}: ${name} failed (exit ${code}), as scripted`);
        pipe.finish(code, at(day, slot + 1) - Date.now());
        return;
      }
    }
    modelVersion = nextModel;
    pipe.finish(0, at(day, slot + 1) - Date.now());
  };

  raw(1);
  await runDay(1, [1], {});
  raw(2);
  await runDay(2, [2], {});

  // Day 3: a feature renamed, then a code change, each committed.
  const featuresPy = path.join(ws, 'pipeline', 'features.py');
  editOrFail(featuresPy, "('tickets_total', 'tickets', 'sum')", "('support_tickets', 'tickets', 'sum')");
  git(at(3, 0) - 2 * 3_600_000, 'commit', '-qam', 'features: tickets_total is now called support_tickets');
  const trainPy = path.join(ws, 'pipeline', 'train.py');
  fs.writeFileSync(trainPy, fs.readFileSync(trainPy, 'utf8').replace('LEARNING_RATE = 0.5', 'LEARNING_RATE = 0.2').replace('EPOCHS = 300', 'EPOCHS = 450'));
  git(at(3, 0) - 3_600_000, 'commit', '-qam', 'train: smaller learning rate, more epochs');
  raw(3);
  await runDay(3, [3], {});

  // Day 4: the environment changes — a package appears through a .dist-info folder on PYTHONPATH.
  const distInfo = path.join(ws, 'vendor', 'fastmath-1.4.0.dist-info');
  fs.mkdirSync(distInfo, { recursive: true });
  fs.writeFileSync(path.join(distInfo, 'METADATA'), 'Metadata-Version: 2.1\nName: fastmath\nVersion: 1.4.0\nSummary: vendored numeric helpers\n');
  // Relative, like a project's own setting: stages run in the workspace, and the recorded copy
  // then carries no path of the machine that built it.
  const envDay4 = { PYTHONPATH: 'vendor' };
  raw(4);
  await runDay(4, [4], envDay4);

  // Day 5: a malformed delivery; ingest fails and the pipeline run fails with it.
  raw(5, { malformed: true });
  await runDay(5, [5], envDay4);

  // Day 6: corrected deliveries overwrite days 2 and 5, old staged data is cleaned up, and
  // evaluate.py is edited without a commit.
  raw(2, { corrected: true }, 'corrections');
  raw(5, { corrected: true }, 'corrections');
  const evaluatePy = path.join(ws, 'pipeline', 'evaluate.py');
  fs.writeFileSync(evaluatePy, fs.readFileSync(evaluatePy, 'utf8').replace("'test_rows': len(rows)}", "'test_rows': len(rows), 'positives': len(pos)}"));
  // A feature dropped, committed (the evaluate.py edit above stays uncommitted).
  editOrFail(featuresPy, "    ('days_active', 'day', 'count'),\n", '');
  git(at(6, 0) - 3_600_000, 'commit', '-qm', 'features: drop days_active', '--', 'pipeline/features.py');
  raw(6);
  await runDay(6, [5, 6], envDay4, [
    ['redeliver.py', ['data/corrections', '2', '5']],
    ['cleanup.py', ['1']],
  ]);
  progress('demo workspace built');
}

/** A scripted edit of the example's code; fails loudly when the code no longer holds the text. */
function editOrFail(file: string, from: string, to: string): void {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new AppError('INTERNAL', `The demo cannot edit ${file}: it no longer contains ${JSON.stringify(from)}.`);
  fs.writeFileSync(file, text.replace(from, to));
}

function gitIn(ws: string): (atMs: number, ...args: string[]) => void {
  const hasGit = spawnSync('git', ['--version']).status === 0;
  return (atMs, ...args) => {
    if (!hasGit) return;
    const date = new Date(atMs).toISOString();
    spawnSync('git', ['-c', 'commit.gpgsign=false', ...args], {
      cwd: ws,
      env: { ...process.env, GIT_AUTHOR_NAME: 'Demo Analyst', GIT_AUTHOR_EMAIL: 'analyst@example.com', GIT_COMMITTER_NAME: 'Demo Analyst', GIT_COMMITTER_EMAIL: 'analyst@example.com', GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
      stdio: 'ignore',
    });
  };
}
