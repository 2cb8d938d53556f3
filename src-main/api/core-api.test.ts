import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { CatalogRunRowDto } from '../../shared/catalog-dto';
import { lineageWorkspace, RUN, stageLines } from '../lineage/lineage-workspace.test-support';
import { listRejected, provenanceCounts } from '../provenance/queries';
import { CoreApi } from './core-api';

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

test('the API reads time from its clock: ping, and the catalogue reuses a run\'s reproducibility summary for 15 s of it', async () => {
  // One run read in.txt holding "one\n"; the file is there, so its data axis is "same" until it goes.
  const ws = lineageWorkspace(stageLines({ run: RUN(1), job: 'make', at: 0, ops: [{ path: 'in.txt', op: 'READ', hashAfter: sha256('one\n') }, { path: 'out.txt', op: 'CREATE', hashAfter: sha256('x') }] }));
  try {
    fs.writeFileSync(path.join(ws.paths.root, 'in.txt'), 'one\n');
    let now = 1_000_000;
    const api = new CoreApi({
      workspaceRoot: ws.paths.root, db: ws.db, engine: ws.engine,
      counts: () => provenanceCounts(ws.db), rejected: (page) => listRejected(ws.db, page), clock: () => now,
    });
    assert.deepEqual(await api.ping({}), { echo: 'pong', at: '1970-01-01T00:16:40.000Z' });
    const data = async () => ((await api.listCatalog({ what: 'runs' })).rows as CatalogRunRowDto[]).map((r) => [r.run, r.repro?.data]);
    assert.deepEqual(await data(), [[RUN(1), 'same']]);
    fs.rmSync(path.join(ws.paths.root, 'in.txt'));
    now += 15_000;
    assert.deepEqual(await data(), [[RUN(1), 'same']], 'still the summary made 15 s ago');
    now += 1;
    assert.deepEqual(await data(), [[RUN(1), 'changed']], 'looked at again once 15 s have passed: the input is gone');
    fs.writeFileSync(path.join(ws.paths.root, 'in.txt'), 'one\n');
    assert.deepEqual(await data(), [[RUN(1), 'changed']], 'the input is back, but the summary is 0 s old');
    // A new event (another run ingested) makes every summary stale at once.
    ws.append(stageLines({ run: RUN(2), job: 'other', at: 5 }));
    assert.deepEqual(await data(), [[RUN(2), 'unknown'], [RUN(1), 'same']], 'R2 read nothing: no data verdict');
  } finally {
    ws.dispose();
  }
});
