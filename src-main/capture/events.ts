import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { RETRACE_VERSION } from '../../shared/version';
import type { EnvironmentFacet } from './environment';
import type { FootprintOp } from './footprint';
import type { GitState } from './code-state';

/**
 * OpenLineage RunEvents written by `retrace run` (DESIGN §3), one JSON object per line in
 * `.retrace/logs/runs.jsonl`. Every line is appended with a single write on an O_APPEND
 * descriptor, so concurrent runs (a pipeline's parallel stages) never interleave half lines and
 * a tailer never sees a line without its newline.
 */
export const PRODUCER = `https://github.com/retrace/retrace/tree/v${RETRACE_VERSION}/src-main/capture`;
export const SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const FACET_SCHEMA = 'https://retrace.dev/spec/facets/1-0-0';
export const RUNS_LOG_NAME = 'runs.jsonl';

export interface CommandFacet {
  argv: string[];
  cwd: string;
  exitCode?: number | null;
  signal?: string | null;
  /**
   * How the footprint was captured: full trace by strace or by the LD_PRELOAD interposer
   * (`preload`), the write-only workspace scan, or not traced (a pipeline run: its stages are).
   */
  captureMode: 'strace' | 'preload' | 'scan' | 'children';
  /** True when something the run did may be missing from the footprint; `partialReasons` says what. */
  partial: boolean;
  partialReasons?: string[];
  durationMs?: number;
}

export interface RunEventInput {
  eventType: 'START' | 'COMPLETE' | 'FAIL';
  eventTime: string;
  runId: string;
  jobNamespace: string;
  jobName: string;
  parent?: { runId: string; jobNamespace: string; jobName: string } | null;
  command: CommandFacet;
  environment?: EnvironmentFacet;
  git?: GitState | null;
  scriptPath?: string | null;
  codeFiles?: { path: string; hash: string }[];
  /** Programs and shared libraries outside the workspace the run executed or loaded. */
  tools?: string[];
  footprint?: FootprintOp[];
  errorMessage?: string;
  /** Delta tables as standard OpenLineage datasets with a `version` facet. */
  tables?: { name: string; version: number; direction: 'input' | 'output' }[];
  pipeline?: boolean;
  /** Further run facets (each gets `_producer` and `_schemaURL`), e.g. `retrace_rerun`. */
  runFacets?: Record<string, object>;
}

function facet<T extends object>(body: T, schema = `${FACET_SCHEMA}#`): T & { _producer: string; _schemaURL: string } {
  return { _producer: PRODUCER, _schemaURL: schema, ...body };
}

export function buildRunEvent(e: RunEventInput): Record<string, unknown> {
  const runFacets: Record<string, unknown> = {
    retrace_command: facet(e.command),
  };
  if (e.environment) runFacets.retrace_environment = facet(e.environment);
  for (const [name, body] of Object.entries(e.runFacets ?? {})) runFacets[name] = facet(body);
  if (e.parent) {
    runFacets.parent = facet(
      { run: { runId: e.parent.runId }, job: { namespace: e.parent.jobNamespace, name: e.parent.jobName } },
      'https://openlineage.io/spec/facets/1-1-0/ParentRunFacet.json#/$defs/ParentRunFacet',
    );
  }
  if (e.footprint) {
    runFacets.retrace_footprint = facet({
      ops: e.footprint,
      partial: e.command.partial,
      ...(e.command.partialReasons ? { partialReasons: e.command.partialReasons } : {}),
      mode: e.command.captureMode,
    });
  }
  if (e.errorMessage !== undefined) {
    runFacets.errorMessage = facet(
      { message: e.errorMessage, programmingLanguage: 'shell' },
      'https://openlineage.io/spec/facets/1-0-0/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet',
    );
  }
  const jobFacets: Record<string, unknown> = {
    jobType: facet(
      { processingType: 'BATCH', integration: 'RETRACE', jobType: e.pipeline ? 'PIPELINE' : 'STAGE' },
      'https://openlineage.io/spec/facets/2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet',
    ),
  };
  if (e.git) {
    jobFacets.sourceCodeLocation = facet(
      {
        type: 'git',
        url: e.git.repoUrl ?? e.git.localUrl,
        ...(e.git.repoUrl ? { repoUrl: e.git.repoUrl } : {}),
        ...(e.scriptPath ? { path: path.relative(e.git.topLevel, e.scriptPath) } : {}),
        version: e.git.sha,
        ...(e.git.branch ? { branch: e.git.branch } : {}),
      },
      'https://openlineage.io/spec/facets/1-0-1/SourceCodeLocationJobFacet.json#/$defs/SourceCodeLocationJobFacet',
    );
  }
  if (e.git !== undefined || e.codeFiles) {
    jobFacets.retrace_code = facet({
      gitSha: e.git?.sha ?? null,
      branch: e.git?.branch ?? null,
      dirty: e.git?.dirty ?? null,
      dirtyDiffHash: e.git?.dirtyDiffHash ?? null,
      files: e.codeFiles ?? [],
      ...(e.tools && e.tools.length ? { tools: e.tools.map((p) => ({ path: p })) } : {}),
    });
  }
  const dataset = (t: { name: string; version: number }): Record<string, unknown> => ({
    namespace: 'file',
    name: t.name,
    facets: {
      version: facet({ datasetVersion: String(t.version) }, 'https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet'),
    },
  });
  return {
    eventType: e.eventType,
    eventTime: e.eventTime,
    producer: PRODUCER,
    schemaURL: SCHEMA_URL,
    run: { runId: e.runId, facets: runFacets },
    job: { namespace: e.jobNamespace, name: e.jobName, facets: jobFacets },
    inputs: (e.tables ?? []).filter((t) => t.direction === 'input').map(dataset),
    outputs: (e.tables ?? []).filter((t) => t.direction === 'output').map(dataset),
  };
}

/** Appends one event as one line with one write (see the file comment for why). */
export function appendEventLine(logsDir: string, event: unknown, fileName = RUNS_LOG_NAME): void {
  fs.mkdirSync(logsDir, { recursive: true });
  const file = path.join(logsDir, fileName);
  const line = Buffer.from(JSON.stringify(event) + '\n', 'utf8');
  const fd = fs.openSync(file, 'a');
  try {
    const n = fs.writeSync(fd, line, 0, line.length);
    if (n !== line.length) throw new AppError('IO', `Could not append a whole event line to ${file} (disk full?).`);
  } finally {
    fs.closeSync(fd);
  }
}
