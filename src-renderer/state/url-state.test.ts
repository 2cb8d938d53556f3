import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeView, DEFAULT_URL_VIEW, encodeView, type UrlView } from './url-state';

test('a view survives the round trip through the fragment, odd characters included', () => {
  const v: UrlView = {
    selectedId: 'artifact:file/data/a&b=c.csv',
    focus: { id: 'job:ns/train', extra: ['d:artifact:file/x.csv'] },
    depth: { up: 2, down: null },
    groups: { base: 'collapsed', except: ['group:dir:data/staged', 'group:pipe:ns/daily'] },
    overlay: 'impact',
    snapshot: 12,
    granularity: 'run',
    direction: 'TB',
  };
  const hash = encodeView(v);
  assert.ok(!/token/i.test(hash));
  assert.deepEqual(decodeView(hash), v);
});

test('the default view is an empty fragment, and junk decodes to the default', () => {
  assert.equal(encodeView(DEFAULT_URL_VIEW), '');
  assert.deepEqual(decodeView('#at=abc&up=-1&dir=sideways&sel=%E0%A4%A'), DEFAULT_URL_VIEW);
});
