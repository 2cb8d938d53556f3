import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportOpenLineage, exportProvJson } from './export';
import { RUN, lineageWorkspace, stageLines } from '../lineage-workspace.test-support';
import { stalenessOf } from './upstream';

const HASH = 'sha256:' + 'c'.repeat(64);
const STAGES = [
  ...stageLines({ run: RUN(9), job: 'pipeline', at: -1, state: null }),
  ...stageLines({ run: RUN(1), job: 'ingest', at: 0, user: 'alice', gitSha: 'a1', numpy: '1.26.4', parent: { run: RUN(9), job: 'pipeline' },
    ops: [{ path: 'data/raw.csv', op: 'CREATE', hashAfter: HASH }, { path: 'tmp/x', op: 'CREATE' }, { path: 'tmp/x', op: 'DELETE' }] }),
  ...stageLines({ run: RUN(2), job: 'train', at: 2, user: 'bob', gitSha: 'b1', inputs: ['data/raw.csv'], outputs: ['models/m.pt'],
    ops: [{ path: 'data/raw.csv', op: 'READ', hashAfter: HASH }, { path: 'models/m.pt', op: 'CREATE' }] }),
  ...stageLines({ run: RUN(3), job: 'ingest', at: 4, user: 'alice', gitSha: 'a2', numpy: '2.1.0', state: 'FAIL', ops: [{ path: 'data/raw.csv', op: 'MODIFY' }] }),
  ...stageLines({ run: RUN(4), job: 'serve', at: 6, ops: [{ path: 'models/m.pt', op: 'READ' }, { path: 'models/best.pt', op: 'RENAME', renamedFrom: 'models/m.pt' }] }),
];

test('OpenLineage export round-trips through our own ingest: same snapshots, graphs, footprints, impact and staleness', () => {
  const a = lineageWorkspace(STAGES);
  try {
    const lines = exportOpenLineage(a.engine);
    assert.equal(lines.length, STAGES.length);
    for (const l of lines) assert.equal(JSON.parse(l).schemaURL, 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent');
    const b = lineageWorkspace(lines);
    try {
      assert.deepEqual(b.engine.listSnapshots(), a.engine.listSnapshots());
      for (const k of [1, 2, 3, 4, undefined]) {
        assert.deepEqual(b.engine.graphAt(k), a.engine.graphAt(k), `graph at ${k}`);
        assert.deepEqual(b.engine.graphAt(k, { granularity: 'run' }), a.engine.graphAt(k, { granularity: 'run' }), `run graph at ${k}`);
      }
      for (const r of [1, 2, 3, 4, 9]) {
        assert.deepEqual(b.engine.footprint(RUN(r)), a.engine.footprint(RUN(r)), `footprint ${r}`);
        assert.deepEqual(b.engine.impact({ run: RUN(r) }), a.engine.impact({ run: RUN(r) }), `impact ${r}`);
      }
      assert.deepEqual(stalenessOf(b.engine), stalenessOf(a.engine));
      // Exporting the re-ingested workspace gives the same lines again.
      assert.deepEqual(exportOpenLineage(b.engine), lines);
    } finally {
      b.dispose();
    }
    // One run alone: its events only.
    const one = exportOpenLineage(a.engine, [RUN(2)]);
    assert.deepEqual(one.map((l) => JSON.parse(l).eventType), ['START', 'COMPLETE']);
    assert.deepEqual(JSON.parse(one[0]!).inputs.map((d: { name: string }) => d.name), ['data/raw.csv']);
  } finally {
    a.dispose();
  }
});

test('PROV-JSON export: runs are activities, versions entities, users agents, with used/generated/invalidated relations', () => {
  const a = lineageWorkspace(STAGES);
  try {
    const doc = exportProvJson(a.engine, [RUN(1), RUN(2)]) as Record<string, Record<string, Record<string, unknown>>>;
    assert.deepEqual(Object.keys(doc.activity!).sort(), [`run:${RUN(1)}`, `run:${RUN(2)}`]);
    assert.equal(doc.activity![`run:${RUN(2)}`]!['prov:label'], 'ns/train');
    assert.deepEqual(Object.keys(doc.agent!).sort(), ['user:alice', 'user:bob']);
    const raw = `artifact:file/data/raw.csv@${HASH}`;
    assert.equal(doc.entity![raw]!['prov:type'], 'retrace:dataset');
    assert.ok(Object.values(doc.wasGeneratedBy!).some((g) => g['prov:entity'] === raw && g['prov:activity'] === `run:${RUN(1)}`));
    assert.ok(Object.values(doc.used!).some((u) => u['prov:entity'] === raw && u['prov:activity'] === `run:${RUN(2)}`));
    assert.ok(Object.values(doc.wasInvalidatedBy!).some((i) => String(i['prov:entity']).startsWith('artifact:file/tmp/x@')));
    assert.ok(Object.values(doc.wasInformedBy!).some((i) => i['prov:informant'] === `run:${RUN(9)}`));
  } finally {
    a.dispose();
  }
});
