// The OpenLineage event parser, field by field: what each of the three event kinds becomes, each
// deviation's warning kind, and each rejection's sentence. Expected values come from the
// OpenLineage spec (2-0-2: RunEvent needs run.runId, job.namespace + job.name, eventTime;
// eventType optional; JobEvent and DatasetEvent) and from the warning list in records.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOpenLineage } from './parse-openlineage';
import type { ParseResult } from './records';

const RUN_ID = '3f5e83fa-3480-44ff-99c5-ff943904e5e8';
const SCHEMA = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const T = Date.UTC(2026, 0, 1, 10, 0, 0); // 2026-01-01T10:00:00Z
const envelope = { producer: 'https://example.com/producer', schemaURL: SCHEMA };
const runEvent = (over: Record<string, unknown> = {}) => ({
  ...envelope, eventType: 'START', eventTime: '2026-01-01T10:00:00Z', run: { runId: RUN_ID }, job: { namespace: 'ns', name: 'train' }, ...over,
});
const reason = (r: ParseResult) => (r.ok ? `accepted: ${JSON.stringify(r)}` : r.reason);
const warnings = (r: ParseResult) => {
  assert.ok(r.ok, reason(r));
  return r.warnings;
};
const ds = (namespace: string, name: string, facets = {}, ioFacets = {}) => ({ namespace, name, facets, ioFacets });

test('a complete RunEvent becomes an ol_run record without warnings', () => {
  const r = parseOpenLineage(runEvent({
    eventType: 'COMPLETE',
    run: { runId: RUN_ID, facets: { parent: { run: { runId: 'p' } } } },
    job: { namespace: 'ns', name: 'train', facets: { sql: { query: 'select 1' } } },
    inputs: [{ namespace: 'file', name: '/data/in.csv', facets: { schema: { fields: [] } }, inputFacets: { dataQuality: { rowCount: 3 } } }],
    outputs: [{ namespace: 'file', name: '/data/out.csv', outputFacets: { outputStatistics: { rowCount: 2 } } }],
  }));
  assert.deepEqual(r, {
    ok: true,
    warnings: [],
    record: {
      kind: 'ol_run', runId: RUN_ID, eventType: 'COMPLETE', eventTime: T, jobNamespace: 'ns', jobName: 'train',
      runFacets: { parent: { run: { runId: 'p' } } },
      jobFacets: { sql: { query: 'select 1' } },
      inputs: [ds('file', '/data/in.csv', { schema: { fields: [] } }, { dataQuality: { rowCount: 3 } })],
      outputs: [ds('file', '/data/out.csv', {}, { outputStatistics: { rowCount: 2 } })],
    },
  });
});

test('every run state of the spec is accepted; anything else is rejected naming the field', () => {
  for (const s of ['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER']) {
    const r = parseOpenLineage(runEvent({ eventType: s }));
    assert.ok(r.ok && r.record.kind === 'ol_run', s);
    assert.equal(r.record.eventType, s);
  }
  assert.equal(reason(parseOpenLineage(runEvent({ eventType: 'DONE' }))), 'Field "eventType" is "DONE", not one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER.');
  assert.equal(reason(parseOpenLineage(runEvent({ eventType: 'D'.repeat(50) }))), `Field "eventType" is "${'D'.repeat(39)}, not one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER.`);
  assert.equal(reason(parseOpenLineage(runEvent({ eventType: 3 }))), 'Field "eventType" must be a string, got number, so the run state is unknown.');
  assert.equal(reason(parseOpenLineage(runEvent({ eventType: ['START'] }))), 'Field "eventType" must be a string, got array, so the run state is unknown.');
  // eventType is optional in the spec: such an event only adds facets and datasets.
  for (const missing of [undefined, null]) {
    const r = parseOpenLineage(runEvent({ eventType: missing }));
    assert.ok(r.ok && r.record.kind === 'ol_run');
    assert.equal(r.record.eventType, 'OTHER');
    assert.deepEqual(r.warnings, ['missing_event_type']);
  }
});

test('RUNNING is a 2-0 state: declared under a 1-0-x schema it is kept with a warning', () => {
  assert.deepEqual(warnings(parseOpenLineage(runEvent({ eventType: 'RUNNING', schemaURL: 'https://openlineage.io/spec/1-0-5/OpenLineage.json' }))), ['running_in_1_0_x']);
  assert.deepEqual(warnings(parseOpenLineage(runEvent({ eventType: 'START', schemaURL: 'https://openlineage.io/spec/1-0-5/OpenLineage.json' }))), []);
  assert.deepEqual(warnings(parseOpenLineage(runEvent({ eventType: 'RUNNING' }))), []);
  assert.deepEqual(warnings(parseOpenLineage(runEvent({ eventType: 'RUNNING', schemaURL: undefined }))), ['missing_schema_url']);
});

test('the envelope: producer and schemaURL are checked against the published core versions', () => {
  const w = (over: Record<string, unknown>) => warnings(parseOpenLineage(runEvent(over)));
  assert.deepEqual(w({ producer: undefined }), ['missing_producer']);
  assert.deepEqual(w({ producer: '' }), ['missing_producer']);
  assert.deepEqual(w({ producer: 5 }), ['missing_producer']);
  assert.deepEqual(w({ schemaURL: undefined }), ['missing_schema_url']);
  assert.deepEqual(w({ schemaURL: '' }), ['missing_schema_url']);
  assert.deepEqual(w({ schemaURL: 7 }), ['missing_schema_url']);
  for (const v of ['1-0-0', '1-0-1', '1-0-2', '1-0-3', '1-0-4', '1-0-5', '2-0-0', '2-0-1', '2-0-2']) {
    assert.deepEqual(w({ schemaURL: `https://openlineage.io/spec/${v}/OpenLineage.json` }), [], v);
  }
  assert.deepEqual(w({ schemaURL: 'http://openlineage.io/spec/2-0-0/OpenLineage.json#/definitions/RunEvent' }), [], 'http and a fragment');
  assert.deepEqual(w({ schemaURL: 'https://openlineage.io/spec/2-0-3/OpenLineage.json' }), ['unresolvable_schema_url'], 'never published');
  assert.deepEqual(w({ schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json.bak' }), ['unresolvable_schema_url']);
  assert.deepEqual(w({ schemaURL: 'see https://openlineage.io/spec/2-0-2/OpenLineage.json' }), ['unresolvable_schema_url']);
  assert.deepEqual(w({ schemaURL: 'https://openlineage.io/spec/facets/1-0-0/ParentRunFacet.json' }), ['unresolvable_schema_url']);
  assert.deepEqual(w({ producer: undefined, schemaURL: undefined }), ['missing_producer', 'missing_schema_url']);
});

test('eventTime: ISO-8601 with a zone, without one (UTC assumed, warned), or epoch numbers (warned)', () => {
  const at = (eventTime: unknown) => {
    const r = parseOpenLineage(runEvent({ eventTime }));
    assert.ok(r.ok && r.record.kind === 'ol_run', reason(r));
    return [r.record.eventTime, r.warnings];
  };
  assert.deepEqual(at('2026-01-01T12:00:00+02:00'), [T, []]);
  assert.deepEqual(at('2026-01-01T10:00:00'), [T, ['time_without_zone']]);
  assert.deepEqual(at(T), [T, ['time_as_number']]);
  assert.deepEqual(at(T / 1000), [T, ['time_as_number']], 'seconds');
  const bad = (eventTime: unknown) => reason(parseOpenLineage(runEvent({ eventTime })));
  assert.equal(bad(undefined), 'Field "eventTime" is missing, so the event cannot be placed in time.');
  assert.equal(bad(null), 'Field "eventTime" is missing, so the event cannot be placed in time.');
  assert.equal(bad(-1), 'Field "eventTime" is the number -1, which is not a time.');
  assert.equal(bad(true), 'Field "eventTime" must be a string (ISO-8601) or epoch milliseconds, got boolean, so the event cannot be placed in time.');
  assert.equal(bad({}), 'Field "eventTime" must be a string (ISO-8601) or epoch milliseconds, got object, so the event cannot be placed in time.');
  assert.equal(bad('2021-02-31T00:00:00Z'), 'Field "eventTime" is "2021-02-31T00:00:00Z", which is not an ISO-8601 date-time.');
  // The text is quoted from its first 60 characters.
  assert.equal(bad('x'.repeat(70)), `Field "eventTime" is "${'x'.repeat(60)}", which is not an ISO-8601 date-time.`);
});

test('run.runId: required and non-blank; a runId that is no UUID is kept with a warning', () => {
  const then = 'so the event cannot be placed in a run.';
  const bad = (run: unknown) => reason(parseOpenLineage(runEvent({ run })));
  assert.equal(bad('r'), `Field "run" must be an object, got string, ${then}`);
  assert.equal(bad(null), `Field "run" must be an object, got null, ${then}`);
  assert.equal(bad([]), `Field "run" must be an object, got array, ${then}`);
  assert.equal(bad({}), `Field "run.runId" is missing, ${then}`);
  assert.equal(bad({ runId: 12 }), `Field "run.runId" must be a string, got number, ${then}`);
  assert.equal(bad({ runId: '' }), `Field "run.runId" is empty, ${then}`);
  assert.equal(bad({ runId: '   ' }), `Field "run.runId" is empty, ${then}`);
  const r = parseOpenLineage(runEvent({ run: { runId: 'job-42' } }));
  assert.ok(r.ok && r.record.kind === 'ol_run');
  assert.equal(r.record.runId, 'job-42');
  assert.deepEqual(r.warnings, ['non_uuid_run_id']);
  assert.deepEqual(warnings(parseOpenLineage(runEvent({ run: { runId: RUN_ID.toUpperCase() } }))), [], 'UUIDs are case-insensitive');
  assert.deepEqual(warnings(parseOpenLineage(runEvent({ run: { runId: `x${RUN_ID}` } }))), ['non_uuid_run_id']);
  assert.deepEqual(warnings(parseOpenLineage(runEvent({ run: { runId: `${RUN_ID}0` } }))), ['non_uuid_run_id']);
});

test('job: a name is required; a missing namespace becomes "default" with a warning', () => {
  const then = 'so the event has no job name.';
  const bad = (job: unknown) => reason(parseOpenLineage(runEvent({ job })));
  assert.equal(bad(undefined), `Field "job" is missing, ${then}`);
  assert.equal(bad('train'), `Field "job" must be an object, got string, ${then}`);
  assert.equal(bad({ namespace: 'ns' }), `Field "job.name" is missing, ${then}`);
  assert.equal(bad({ namespace: 'ns', name: 1 }), `Field "job.name" must be a string, got number, ${then}`);
  assert.equal(bad({ namespace: 'ns', name: ' ' }), `Field "job.name" is empty, ${then}`);
  for (const namespace of [undefined, '', 3]) {
    const r = parseOpenLineage(runEvent({ job: { namespace, name: 'train' } }));
    assert.ok(r.ok && r.record.kind === 'ol_run');
    assert.deepEqual([r.record.jobNamespace, r.record.jobName, r.warnings], ['default', 'train', ['missing_job_namespace']]);
  }
});

test('facets: each must be an object; a malformed one is dropped with a warning, the rest kept', () => {
  const r = parseOpenLineage(runEvent({ run: { runId: RUN_ID, facets: { good: { a: 1 }, bad: 'x', alsoBad: [1], nil: null } } }));
  assert.ok(r.ok && r.record.kind === 'ol_run');
  assert.deepEqual(r.record.runFacets, { good: { a: 1 } });
  assert.deepEqual(r.warnings, ['invalid_facet', 'invalid_facet', 'invalid_facet']);
  const notObject = parseOpenLineage(runEvent({ job: { namespace: 'ns', name: 'train', facets: ['x'] } }));
  assert.ok(notObject.ok && notObject.record.kind === 'ol_run');
  assert.deepEqual([notObject.record.jobFacets, notObject.warnings], [{}, ['invalid_facet']]);
  // Facets that are not an object at all: one warning, whatever their length.
  for (const facets of ['abc', 7, true]) {
    const r2 = parseOpenLineage(runEvent({ run: { runId: RUN_ID, facets } }));
    assert.ok(r2.ok && r2.record.kind === 'ol_run');
    assert.deepEqual([r2.record.runFacets, r2.warnings], [{}, ['invalid_facet']], String(facets));
  }
  const nullFacets = parseOpenLineage(runEvent({ run: { runId: RUN_ID, facets: null } }));
  assert.ok(nullFacets.ok && nullFacets.record.kind === 'ol_run');
  assert.deepEqual([nullFacets.record.runFacets, nullFacets.warnings], [{}, []]);
});

test('datasets: entries without a name are dropped, a missing namespace is "default", both with a warning', () => {
  const r = parseOpenLineage(runEvent({
    inputs: [{ namespace: 'file', name: 'a' }, { namespace: 'file' }, { namespace: 'file', name: '' }, 'b', null, { name: 'c', namespace: '' }, { name: 'd' }],
    outputs: 'not a list',
  }));
  assert.ok(r.ok && r.record.kind === 'ol_run');
  assert.deepEqual(r.record.inputs, [ds('file', 'a'), ds('default', 'c'), ds('default', 'd')]);
  assert.deepEqual(r.record.outputs, []);
  assert.deepEqual(r.warnings, Array(7).fill('invalid_dataset'), '4 dropped inputs, 2 without namespace, 1 outputs not a list');
  const none = parseOpenLineage(runEvent({ inputs: null, outputs: [] }));
  assert.ok(none.ok && none.record.kind === 'ol_run');
  assert.deepEqual([none.record.inputs, none.record.outputs, none.warnings], [[], [], []]);
});

test('a dataset both read and written by one event is kept on both sides with a warning', () => {
  const both = parseOpenLineage(runEvent({ inputs: [{ namespace: 'file', name: 'a' }], outputs: [{ namespace: 'file', name: 'a' }] }));
  assert.deepEqual(warnings(both), ['dataset_both_input_and_output']);
  assert.deepEqual(warnings(parseOpenLineage(runEvent({ inputs: [{ namespace: 'file', name: 'a' }], outputs: [{ namespace: 's3', name: 'a' }] }))), []);
  assert.deepEqual(warnings(parseOpenLineage(runEvent({ inputs: [{ namespace: 'file', name: 'a' }], outputs: [{ namespace: 'file', name: 'b' }] }))), []);
});

test('a JobEvent becomes an ol_job record (static lineage, no run)', () => {
  const r = parseOpenLineage({
    ...envelope, eventTime: '2026-01-01T10:00:00Z', job: { namespace: 'ns', name: 'train', facets: { sql: { query: 'q' } } },
    inputs: [{ namespace: 'file', name: 'in', inputFacets: { x: { y: 1 } } }], outputs: [{ namespace: 'file', name: 'out', outputFacets: { z: { w: 2 } } }],
  });
  assert.deepEqual(r, {
    ok: true,
    warnings: ['job_event'],
    record: {
      kind: 'ol_job', eventTime: T, jobNamespace: 'ns', jobName: 'train', jobFacets: { sql: { query: 'q' } },
      inputs: [ds('file', 'in', {}, { x: { y: 1 } })], outputs: [ds('file', 'out', {}, { z: { w: 2 } })],
    },
  });
  assert.equal(reason(parseOpenLineage({ ...envelope, eventTime: '2026-01-01T10:00:00Z', job: { namespace: 'ns' } })), 'Field "job.name" is missing, so the event has no job name.');
});

test('a DatasetEvent becomes an ol_dataset record with the dataset facets', () => {
  const r = parseOpenLineage({ ...envelope, eventTime: '2026-01-01T10:00:00Z', dataset: { namespace: 'file', name: 'd', facets: { schema: { fields: [] } }, inputFacets: { ignored: {} }, '': { ignored: {} } } });
  assert.deepEqual(r, { ok: true, warnings: ['dataset_event'], record: { kind: 'ol_dataset', eventTime: T, dataset: ds('file', 'd', { schema: { fields: [] } }) } });
  assert.equal(
    reason(parseOpenLineage({ ...envelope, eventTime: '2026-01-01T10:00:00Z', dataset: { namespace: 'file' } })),
    'Field "dataset" has no namespace and name, so the DatasetEvent cannot be placed.',
  );
});

test('an object with none of run, job or dataset is no OpenLineage event; the time is checked before the kind', () => {
  assert.equal(reason(parseOpenLineage({ eventTime: '2026-01-01T10:00:00Z' })), 'The object has none of "run", "job" or "dataset", so it is not an OpenLineage event.');
  assert.equal(reason(parseOpenLineage({ job: { namespace: 'ns', name: 'j' } })), 'Field "eventTime" is missing, so the event cannot be placed in time.');
  assert.equal(reason(parseOpenLineage({ dataset: {}, eventTime: 'soon' })), 'Field "eventTime" is "soon", which is not an ISO-8601 date-time.');
});
