import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { LineageEngine } from '../read-models/lineage-engine';
import { RUN, lineageWorkspace, stageLines } from '../lineage-workspace.test-support';

const STAGES = [
  ...stageLines({ run: RUN(1), job: 'ingest', at: 0, ops: [{ path: 'data/raw.csv', op: 'CREATE' }] }),
  ...stageLines({ run: RUN(2), job: 'train', at: 5, ops: [{ path: 'data/raw.csv', op: 'READ' }, { path: 'models/m.pt', op: 'CREATE' }] }),
  ...stageLines({ run: RUN(3), job: 'score', at: 10, ops: [{ path: 'models/m.pt', op: 'READ' }, { path: 'out/scores.csv', op: 'CREATE' }] }),
];

test('a stored index is read column by column, as queries need them, through the file it was opened on', () => {
  const ws = lineageWorkspace(STAGES, { indexFile: true });
  const indexFile = path.join(ws.paths.dotDir, 'lineage-index.bin');
  try {
    assert.ok(ws.engine.save());
    const loaded = LineageEngine.open(ws.db, { indexFile });
    assert.equal(loaded.coldStart, 'loaded');
    const ix = loaded.index;
    // Opening checked the file against the DB without reading the access columns.
    assert.equal(ix.accArt.isLoaded, false);
    assert.equal(ix.accNextRead.isLoaded, false);
    const expected = ws.engine.footprint(RUN(2));
    // The file is replaced (another process saves the same way: a temp file renamed over it)
    // before the columns are read: the open descriptor still reads the file it loaded.
    fs.writeFileSync(`${indexFile}.other`, 'not an index any more');
    fs.renameSync(`${indexFile}.other`, indexFile);
    assert.deepEqual(loaded.footprint(RUN(2)), expected);
    assert.equal(ix.accArt.isLoaded, true, 'a footprint reads the access columns');
    assert.equal(ix.accNextRead.isLoaded, false, 'but not the reader lists, which only impact follows');
    assert.deepEqual(loaded.impact({ run: RUN(1) }), ws.engine.impact({ run: RUN(1) }));
    assert.deepEqual(loaded.impact({ run: RUN(1) }).runs, [RUN(2), RUN(3)]);
    // The replaced file is not an index: the next engine rebuilds from rows.
    assert.equal(LineageEngine.open(ws.db, { indexFile }).coldStart, 'rebuilt');
  } finally {
    ws.dispose();
  }
});

test('a stored index cut short is not used; the engine rebuilds from rows', () => {
  const ws = lineageWorkspace(STAGES, { indexFile: true });
  const indexFile = path.join(ws.paths.dotDir, 'lineage-index.bin');
  try {
    assert.ok(ws.engine.save());
    fs.truncateSync(indexFile, Math.floor(fs.statSync(indexFile).size / 2));
    const engine = LineageEngine.open(ws.db, { indexFile });
    assert.equal(engine.coldStart, 'rebuilt');
    assert.deepEqual(engine.footprint(RUN(3)), ws.engine.footprint(RUN(3)));
  } finally {
    ws.dispose();
  }
});
