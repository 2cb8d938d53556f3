import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readColumnFacets } from './column-facets';

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
