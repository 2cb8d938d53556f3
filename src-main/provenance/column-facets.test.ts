import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readColumnFacets, recordColumnFacets } from './column-facets';

const same = (ns: string, name: string) => [ns, name] as const;

test('every facet form becomes the same compact body; the dataset-level list is kept once', () => {
  const r = readColumnFacets({
    schema: { fields: [{ name: 'a', type: 'int' }, { name: 'b' }, { name: '' }, { name: 'a', type: 'dup' }] },
    columnLineage: {
      fields: {
        a: { inputFields: [{ namespace: 'n', name: 's', field: 'x', transformations: [{ type: 'DIRECT', subtype: 'IDENTITY', description: '', masking: false }] }] },
        b: { inputFields: [{ namespace: 'n', name: 's', field: 'y' }], transformationType: 'MASKED', transformationDescription: 'sha256' },
        c: { inputFields: [{ namespace: 'n', name: 's', field: 'z', transformations: [] }, { namespace: 'n', name: 's' }] },
      },
      dataset: [{ namespace: 'n', name: 't', field: 'k', transformations: [{ type: 'indirect', subtype: 'JOIN' }, { type: 'SIDEWAYS' }] }],
    },
  }, same);
  assert.deepEqual(JSON.parse(r.schema!), [['a', 'int'], ['b', null]]);
  assert.deepEqual(JSON.parse(r.lineage!), {
    d: [['n', 's'], ['n', 't']],
    t: [[['DIRECT', 'IDENTITY']], [['DIRECT', 'MASKED', 'sha256', 1]], [], [['INDIRECT', 'JOIN']]],
    f: [['a', [0, 'x', 0]], ['b', [0, 'y', 1]], ['c', [0, 'z', 2]]],
    x: [[1, 'k', 3]],
  });
  // A field without a name, a repeated schema field, an input field without `field`, a type that is neither DIRECT nor INDIRECT.
  assert.equal(r.invalid, 4);
});

test('datasets are named as the ingest names artifacts; empty facets say nothing', () => {
  const r = readColumnFacets({ columnLineage: { fields: { a: { inputFields: [{ namespace: 'file', name: '/ws/data/x.csv', field: 'x' }] } }, dataset: [] } },
    (ns, name) => (ns === 'file' ? ['file', name.replace('/ws/', '')] : [ns, name]));
  assert.deepEqual(JSON.parse(r.lineage!).d, [['file', 'data/x.csv']]);
  assert.deepEqual(readColumnFacets({ columnLineage: { fields: {}, dataset: [] }, schema: { fields: [] } }, same), { schema: null, lineage: null, refs: null, invalid: 0 });
});

const edge = (field: string, more: Record<string, unknown> = {}) => ({ namespace: 'n', name: 's', field, ...more });
const lineageOf = (facet: Record<string, unknown>) => {
  const r = readColumnFacets({ columnLineage: facet }, same);
  return { body: r.lineage === null ? null : JSON.parse(r.lineage), refs: r.refs, invalid: r.invalid };
};

test('schema: names in order with their type (an empty type is none); a schema without a field list is malformed', () => {
  const r = readColumnFacets({ schema: { fields: [{ name: 'id', type: 'long' }, { name: 'ts', type: '' }, 'x', { name: 3 }, null, { name: 'n', type: 5 }] } }, same);
  assert.deepEqual(JSON.parse(r.schema!), [['id', 'long'], ['ts', null], ['n', null]]);
  assert.equal(r.invalid, 3);
  assert.deepEqual(readColumnFacets({ schema: { fields: 'id long' } }, same), { schema: null, lineage: null, refs: null, invalid: 1 });
  assert.deepEqual(readColumnFacets({ schema: 'id long' }, same), { schema: null, lineage: null, refs: null, invalid: 0 });
});

test('transformations: type in any case, subtype, description and masking kept; equal sets share one entry', () => {
  const { body, invalid } = lineageOf({ fields: {
    a: { inputFields: [edge('x', { transformations: [{ type: 'direct' }] })] },
    b: { inputFields: [edge('y', { transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION', description: 'sum(y)' }] })] },
    c: { inputFields: [edge('z', { transformations: [{ type: 'INDIRECT', subtype: 'FILTER', masking: true }] })] },
    d: { inputFields: [edge('x', { transformations: [{ type: 'DIRECT' }] }), edge('w', { transformations: [{ type: 'DIRECT', description: 'cast' }] })] },
    e: { inputFields: [edge('v', { transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }, { type: 'INDIRECT', subtype: 'SORT' }] })] },
  } });
  assert.equal(invalid, 0);
  assert.deepEqual(body.t, [
    [['DIRECT']],
    [['DIRECT', 'AGGREGATION', 'sum(y)']],
    [['INDIRECT', 'FILTER', '', 1]],
    [['DIRECT', '', 'cast']],
    [['DIRECT', 'IDENTITY'], ['INDIRECT', 'SORT']],
  ]);
  assert.deepEqual(body.f, [['a', [0, 'x', 0]], ['b', [0, 'y', 1]], ['c', [0, 'z', 2]], ['d', [0, 'x', 0], [0, 'w', 3]], ['e', [0, 'v', 4]]]);
  // Masking only when it is `true`; a description that is not text is none.
  const loose = lineageOf({ fields: { a: { inputFields: [edge('x', { transformations: [{ type: 'DIRECT', masking: 'yes', description: 5, subtype: 7 }] })] } } });
  assert.deepEqual(loose.body.t, [[['DIRECT']]]);
});

test('transformations that cannot be read are dropped and counted; an edge left with none is unspecified', () => {
  const { body, invalid } = lineageOf({ fields: {
    a: { inputFields: [edge('x', { transformations: ['DIRECT', { subtype: 'IDENTITY' }, { type: 'SIDEWAYS' }] })] },
    b: { inputFields: [edge('y', { transformations: [{ type: 'DIRECT' }, { type: 5 }] })] },
  } });
  assert.equal(invalid, 4);
  assert.deepEqual(body.t, [[], [['DIRECT']]]);
  assert.deepEqual(body.f, [['a', [0, 'x', 0]], ['b', [0, 'y', 1]]]);
});

test('the legacy per-column form: its type becomes the subtype of a DIRECT, and it keys like the written-out form', () => {
  const { body } = lineageOf({ fields: {
    a: { inputFields: [edge('x')], transformationType: 'IDENTITY' },
    b: { inputFields: [edge('y')], transformationDescription: 'lower(y)' },
    c: { inputFields: [edge('z')], transformationType: 'MASKED' },
    d: { inputFields: [edge('w', { transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }] })] },
    e: { inputFields: [edge('v', { transformations: [{ type: 'INDIRECT' }] })], transformationType: 'IDENTITY' },
    f: { inputFields: [edge('u')], transformationType: '', transformationDescription: '' },
    g: { inputFields: [edge('s')], transformationType: 5 },
  } });
  assert.deepEqual(body.t, [[['DIRECT', 'IDENTITY']], [['DIRECT', '', 'lower(y)']], [['DIRECT', 'MASKED', '', 1]], [['INDIRECT']], []]);
  // d wrote out what a said: the same set. e's own transformations win over its column's legacy type.
  assert.deepEqual(body.f, [['a', [0, 'x', 0]], ['b', [0, 'y', 1]], ['c', [0, 'z', 2]], ['d', [0, 'w', 0]], ['e', [0, 'v', 3]], ['f', [0, 'u', 4]], ['g', [0, 's', 4]]]);
});

test('edges: datasets listed once each, in first-seen order; an edge without a namespace, name or field is dropped and counted', () => {
  const named: string[] = [];
  const r = readColumnFacets({ columnLineage: { fields: {
    a: { inputFields: [{ namespace: 'n', name: 's', field: 'x' }, { namespace: 'm', name: 's', field: 'x' }, { namespace: 'n', name: 's', field: 'y' }, { namespace: '', name: 'q', field: 'z' }] },
    b: { inputFields: [{ namespace: 'n', name: '', field: 'x' }, { namespace: 'n', name: 's', field: '' }, { namespace: 3, name: 's', field: 'x' }, { name: 's', field: 'x' }, { namespace: 'n', name: 's' }, 'n.s.x'] },
  } } }, (ns, name) => {
    named.push(`${ns}/${name}`);
    return [ns.toUpperCase(), name];
  });
  const body = JSON.parse(r.lineage!);
  assert.deepEqual(body.d, [['N', 's'], ['M', 's'], ['DEFAULT', 'q']]);
  assert.deepEqual(named, ['n/s', 'm/s', 'default/q'], 'each dataset named once; no namespace is "default"');
  assert.deepEqual(body.f, [['a', [0, 'x', 0], [1, 'x', 0], [0, 'y', 0], [2, 'z', 0]], ['b']]);
  assert.equal(r.refs, JSON.stringify(body.d));
  assert.equal(r.invalid, 6);
});

test('names and transformations that only differ in where one part ends and the next begins stay apart', () => {
  const { body } = lineageOf({ fields: { a: { inputFields: [
    { namespace: 'ab', name: 'c', field: 'x', transformations: [{ type: 'DIRECT', subtype: 'ab' }] },
    { namespace: 'a', name: 'bc', field: 'x', transformations: [{ type: 'DIRECT', subtype: 'a', description: 'b' }] },
  ] } } });
  assert.deepEqual(body.d, [['ab', 'c'], ['a', 'bc']]);
  assert.deepEqual(body.t, [[['DIRECT', 'ab']], [['DIRECT', 'a', 'b']]]);
  assert.deepEqual(body.f, [['a', [0, 'x', 0], [1, 'x', 1]]]);
});

test('malformed shapes: fields not an object, a column without inputFields, dataset not a list', () => {
  assert.deepEqual(lineageOf({ fields: [edge('x'), edge('y')] }), { body: null, refs: null, invalid: 1 });
  assert.deepEqual(lineageOf({ fields: 'abc' }), { body: null, refs: null, invalid: 1 });
  assert.deepEqual(lineageOf({ fields: { a: { inputFields: 'x' }, b: 'x' } }), { body: null, refs: null, invalid: 2 });
  assert.deepEqual(lineageOf({ dataset: { namespace: 'n' } }), { body: null, refs: null, invalid: 1 });
  // A dataset-level edge that cannot be read is left out of the list.
  assert.deepEqual(lineageOf({ dataset: [edge('k'), { namespace: 'n', name: 's' }, 'n.s.k'] }).body.x, [[0, 'k', 0]]);
  // Only the dataset-level list: still a body.
  const only = lineageOf({ dataset: [edge('k')] });
  assert.deepEqual(only.body, { d: [['n', 's']], t: [[]], f: [], x: [[0, 'k', 0]] });
  assert.equal(only.invalid, 0);
  // A column whose every input was dropped is still listed (it has no inputs we can read).
  assert.deepEqual(lineageOf({ fields: { a: { inputFields: [{ namespace: 'n' }] } } }).body.f, [['a']]);
});

/** What the ingest's store does with the facets, kept as a list of calls. */
function recordingSink() {
  const texts = new Map<string, number>();
  const calls: string[] = [];
  return {
    calls,
    warn: (kind: string, n?: number) => calls.push(`warn ${kind} ${n}`),
    columnText: (body: string) => {
      if (!texts.has(body)) texts.set(body, texts.size + 1);
      return texts.get(body)!;
    },
    addColumnFacet: (runId: number, artifactId: number, role: string, seq: number, schemaId: number | null, lineageId: number | null) =>
      calls.push(`facet run ${runId} artifact ${artifactId} ${role} seq ${seq} schema ${schemaId} lineage ${lineageId}`),
  };
}

test('recording: schemas for inputs and outputs, lineage for outputs only; a repeat of the run\'s last body is skipped', () => {
  const sink = recordingSink();
  const run = { id: 7, columnTexts: new Map<string, number>() };
  const schema = { fields: [{ name: 'id', type: 'long' }] };
  const lineage = { fields: { id: { inputFields: [edge('id')] } } };
  recordColumnFacets(sink, run, 3, 'input', { schema, columnLineage: lineage }, 10, same);
  recordColumnFacets(sink, run, 3, 'input', { schema }, 11, same); // the same schema again: nothing new
  recordColumnFacets(sink, run, 4, 'output', { schema, columnLineage: lineage }, 12, same);
  recordColumnFacets(sink, run, 4, 'output', { schema, columnLineage: lineage }, 13, same);
  recordColumnFacets(sink, run, 4, 'output', { schema: { fields: [{ name: 'id', type: 'int' }] }, columnLineage: lineage }, 14, same);
  recordColumnFacets(sink, run, 4, 'input', { schema }, 15, same); // another role of the same artifact
  recordColumnFacets(sink, run, 5, 'output', { columnLineage: { fields: { id: { inputFields: [edge('')] } } } }, 16, same);
  assert.deepEqual(sink.calls, [
    'facet run 7 artifact 3 input seq 10 schema 1 lineage null',
    'facet run 7 artifact 4 output seq 12 schema 1 lineage 2',
    'facet run 7 artifact 4 output seq 14 schema 3 lineage null',
    'facet run 7 artifact 4 input seq 15 schema 1 lineage null',
    'warn invalid_column_lineage 1',
    'facet run 7 artifact 5 output seq 16 schema null lineage 4',
  ]);
  // A lineage facet on an input alone records nothing.
  const other = recordingSink();
  recordColumnFacets(other, { id: 8, columnTexts: new Map() }, 3, 'input', { columnLineage: lineage }, 20, same);
  assert.deepEqual(other.calls, []);
});
