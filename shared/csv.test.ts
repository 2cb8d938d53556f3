import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvDocument, csvField, csvRecord } from './csv';

test('csvField quotes what RFC 4180 requires and nothing else', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('cr\r'), '"cr\r"');
  assert.equal(csvField(null), '');
  assert.equal(csvField(undefined), '');
  assert.equal(csvField(1.5), '1.5');
  assert.equal(csvField(false), 'false');
  assert.equal(csvField([1, 'a']), '"[1,""a""]"');
  assert.equal(csvField({ k: 1 }), '"{""k"":1}"');
});

test('every record ends in CRLF, the last one too', () => {
  assert.equal(csvRecord(['a', 'b']), 'a,b\r\n');
  assert.equal(csvDocument(['h1', 'h2'], [['x', null], [1, 'y,z']]), 'h1,h2\r\nx,\r\n1,"y,z"\r\n');
});
