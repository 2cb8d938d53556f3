import { seededRandom } from '../../shared/seeded-random';

/**
 * A deterministic generator of realistic provenance logs (for the benchmark and the crash and
 * fuzz tests): pipeline stages as OpenLineage START/COMPLETE pairs with inputs, outputs,
 * Retrace facets and footprints, about 1 KB a line, plus some Hopsworks file-op rows.
 */
export interface SynthOptions {
  readonly events: number;
  readonly seed?: number;
  /** Share of lines that are Hopsworks file-op rows (0..1). */
  readonly fileOpShare?: number;
  readonly datasets?: number;
}

export function* synthLines(opts: SynthOptions): Generator<string> {
  const rnd = seededRandom(opts.seed ?? 42);
  const datasets = opts.datasets ?? 5000;
  const fileOpShare = opts.fileOpShare ?? 0.1;
  const pick = (n: number) => Math.floor(rnd() * n);
  const t0 = Date.UTC(2026, 0, 1);
  let run = 0;
  let emitted = 0;
  const open: { id: string; job: string; started: number; outputs: number[] }[] = [];
  while (emitted < opts.events) {
    const at = t0 + emitted * 50;
    if (rnd() < fileOpShare) {
      const app = `application_1767_${String(pick(Math.max(1, run))).padStart(4, '0')}`;
      const ops = ['CREATE', 'ACCESS_DATA', 'ACCESS_DATA', 'MODIFY_DATA', 'DELETE', 'METADATA'];
      yield JSON.stringify({
        inode_id: pick(1e6), inode_operation: ops[pick(ops.length)], io_logical_time: emitted, io_timestamp: at,
        io_app_id: rnd() < 0.05 ? 'none' : app, io_user_id: pick(20), io_user_name: `user${pick(20)}`,
        path: `/Projects/demo/Resources/area${pick(50)}/file${pick(datasets)}.csv`, tb: pick(1000),
      });
      emitted++;
      continue;
    }
    if (open.length > 0 && (open.length > 20 || rnd() < 0.5)) {
      const r = open.splice(pick(open.length), 1)[0]!;
      const ops = r.outputs.map((d) => ({ path: `data/area${d % 50}/ds${d}.parquet`, op: 'CREATE', at: new Date(at - 10).toISOString(), hashAfter: `sha256:${hex(rnd, 16)}`, size: pick(1e7) }));
      ops.push({ path: `tmp/${r.id.slice(0, 8)}.tmp`, op: 'CREATE', at: new Date(at - 30).toISOString(), hashAfter: '', size: 10 });
      ops.push({ path: `tmp/${r.id.slice(0, 8)}.tmp`, op: 'DELETE', at: new Date(at - 20).toISOString(), hashAfter: '', size: 0 });
      yield JSON.stringify({
        eventType: rnd() < 0.05 ? 'FAIL' : 'COMPLETE', eventTime: new Date(at).toISOString(), producer: PRODUCER, schemaURL: SCHEMA,
        run: { runId: r.id, facets: {
          retrace_command: { _producer: PRODUCER, _schemaURL: CUSTOM, argv: ['python', `${r.job}.py`, '--epochs', String(pick(10))], cwd: '/ws', exitCode: 0 },
          retrace_footprint: { _producer: PRODUCER, _schemaURL: CUSTOM, ops },
        } },
        job: { namespace: 'retrace://bench', name: r.job },
        inputs: [],
        outputs: r.outputs.map((d) => ({ namespace: 'file', name: `data/area${d % 50}/ds${d}.parquet`, facets: {},
          outputFacets: { outputStatistics: { _producer: PRODUCER, _schemaURL: STATS, rowCount: pick(1e6), size: pick(1e8) } } })),
      });
    } else {
      run++;
      const id = uuid(rnd);
      const job = `stage_${pick(500)}`;
      const inputs = Array.from({ length: 1 + pick(3) }, () => pick(datasets));
      const outputs = Array.from({ length: 1 + pick(2) }, () => pick(datasets));
      open.push({ id, job, started: at, outputs });
      yield JSON.stringify({
        eventType: 'START', eventTime: new Date(at).toISOString(), producer: PRODUCER, schemaURL: SCHEMA,
        run: { runId: id, facets: {
          parent: { _producer: PRODUCER, _schemaURL: PARENT, run: { runId: PIPELINE_RUN }, job: { namespace: 'retrace://bench', name: 'pipeline' } },
          retrace_environment: { _producer: PRODUCER, _schemaURL: CUSTOM, user: `user${pick(20)}`, host: `host${pick(5)}`, os: 'linux', arch: 'x64',
            interpreter: { name: 'python', version: '3.12.1' }, packages: [{ name: 'numpy', version: pick(2) ? '1.26.4' : '2.1.0' }, { name: 'pandas', version: '2.2.2' }] },
        } },
        job: { namespace: 'retrace://bench', name: job, facets: {
          sourceCodeLocation: { _producer: PRODUCER, _schemaURL: SCL, type: 'git', url: 'https://example.com/repo.git', version: hex(rnd, 8 + pick(2)) },
        } },
        inputs: inputs.map((d) => ({ namespace: 'file', name: `data/area${d % 50}/ds${d}.parquet`, facets: {} })),
        outputs: [],
      });
    }
    emitted++;
  }
}

const PRODUCER = 'https://github.com/retrace/retrace/0.1.0';
const SCHEMA = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const CUSTOM = 'https://retrace.dev/spec/facets/1-0-0/RetraceFacet.json';
const STATS = 'https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json';
const PARENT = 'https://openlineage.io/spec/facets/1-1-0/ParentRunFacet.json';
const SCL = 'https://openlineage.io/spec/facets/1-0-1/SourceCodeLocationJobFacet.json';
const PIPELINE_RUN = '01900000-0000-7000-8000-000000000000';


function hex(rnd: () => number, bytes: number): string {
  let s = '';
  for (let i = 0; i < bytes; i++) s += Math.floor(rnd() * 256).toString(16).padStart(2, '0');
  return s;
}

function uuid(rnd: () => number): string {
  const h = hex(rnd, 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
