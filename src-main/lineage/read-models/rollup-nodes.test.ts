import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RUN, lineageWorkspace, stageLines } from '../lineage-workspace.test-support';

test('a file inside an artifact folder is drawn by the folder: footprint and impact entries name that node', () => {
  const ws = lineageWorkspace([
    ...stageLines({ run: RUN(1), job: 'train', at: 0, ops: [{ path: 'data/x.csv', op: 'CREATE' }, { path: 'Models/churn/1/model.pkl', op: 'CREATE' }] }),
    ...stageLines({ run: RUN(2), job: 'serve', at: 2, ops: [{ path: 'Models/churn/1/model.pkl', op: 'READ' }] }),
  ]);
  try {
    const fp = ws.engine.footprint(RUN(1));
    assert.deepEqual(fp.entries.map((e) => [e.artifact, e.id, e.node]), [
      ['Models/churn/1/model.pkl', 'artifact:file/Models/churn/1/model.pkl', 'artifact:file/Models/churn/1'],
      ['data/x.csv', 'artifact:file/data/x.csv', 'artifact:file/data/x.csv'],
    ]);
    const impact = ws.engine.impact({ run: RUN(1) });
    assert.deepEqual(impact.entries.map((e) => [e.artifact, e.node]), [['Models/churn/1/model.pkl', 'artifact:file/Models/churn/1']]);
    assert.ok(ws.engine.graphAt(undefined).nodes.some((n) => n.id === 'artifact:file/Models/churn/1'), 'that node is in the graph');
  } finally {
    ws.dispose();
  }
});
