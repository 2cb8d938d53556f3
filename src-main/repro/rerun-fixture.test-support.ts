/**
 * Test-only: small workspaces whose stages are really captured by `retrace run` and ingested,
 * for the re-run planner and executor tests. Nothing here is used outside tests.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RerunExecutionDto, RerunPlanDto, RerunPlanRequest, RerunProgressDto } from '../../shared/rerun-dto';
import { createCore, type Core } from '../api/create-core';
import { captureRun } from '../capture/capture-run';
import { ingestOnce } from '../provenance/ingest';

export interface StageCommand {
  readonly name: string;
  readonly argv: readonly string[];
}

export interface FixtureWorkspace {
  readonly root: string;
  readonly core: Core;
  /** Stage name → the run id of its capture. */
  readonly runs: Record<string, string>;
  write(rel: string, text: string): void;
  read(rel: string): string;
  capture(stage: StageCommand): Promise<string>;
  ingest(): void;
  plan(req: RerunPlanRequest): Promise<RerunPlanDto>;
  /** Confirms a plan and waits for its end, collecting every progress event. */
  execute(plan: RerunPlanDto, jobs?: number, onEvent?: (e: RerunProgressDto) => void): Promise<{ result: RerunExecutionDto; events: RerunProgressDto[] }>;
  dispose(): void;
}

export const sh = (name: string, script: string): StageCommand => ({ name, argv: ['sh', '-c', script] });

/**
 * The four-stage fixture: prep reads in.csv and writes a.csv; clean reads a.csv and writes
 * b.csv; train and report both read b.csv (a fork). clean and train fail on purpose when a
 * FAIL_<STAGE> file exists (a stat, not a read, so it is not an input).
 */
export const FORK_STAGES: readonly StageCommand[] = [
  sh('prep', 'tr a-z A-Z < in.csv > a.csv'),
  sh('clean', 'test ! -e FAIL_CLEAN && sort a.csv > b.csv'),
  sh('train', 'test ! -e FAIL_TRAIN && wc -l < b.csv > model.txt'),
  sh('report', 'head -n 1 b.csv > report.txt'),
];

export async function fixtureWorkspace(files: Record<string, string>, stages: readonly StageCommand[]): Promise<FixtureWorkspace> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-rerun-')));
  const core = createCore({ workspaceRoot: root });
  const runs: Record<string, string> = {};
  const ws: FixtureWorkspace = {
    root,
    core,
    runs,
    write: (rel, text) => fs.writeFileSync(path.join(root, rel), text),
    read: (rel) => fs.readFileSync(path.join(root, rel), 'utf8'),
    async capture(s) {
      const r = await captureRun({ argv: s.argv, workspaceRoot: root, cwd: root, stage: s.name, pipeline: 'fixture', stdio: 'quiet', warn: () => undefined });
      if (r.exitCode !== 0) throw new Error(`fixture stage ${s.name} failed with exit ${r.exitCode}`);
      runs[s.name] = r.runId;
      return r.runId;
    },
    ingest: () => void ingestOnce({ paths: core.paths, db: core.db }),
    async plan(req) {
      ws.ingest();
      return core.api.prepareRerunPlan(req);
    },
    async execute(plan, jobs = 1, onEvent) {
      const events: RerunProgressDto[] = [];
      const sub = core.events.on('onRerunProgress', (e) => {
        events.push(e);
        onEvent?.(e);
      });
      try {
        const started = await core.api.startRerunPlan({ token: plan.token, digest: plan.digest, jobs });
        const result = await core.reruns.finished(started.execution);
        await new Promise((r) => setTimeout(r, 150)); // late output batches
        return { result, events };
      } finally {
        sub.dispose();
      }
    },
    dispose() {
      core.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  for (const [rel, text] of Object.entries(files)) ws.write(rel, text);
  for (const s of stages) await ws.capture(s);
  ws.ingest();
  return ws;
}

/** Stage names of a plan, in its order. */
export const namesOf = (plan: RerunPlanDto): (string | null)[] => plan.stages.map((s) => s.stage);
