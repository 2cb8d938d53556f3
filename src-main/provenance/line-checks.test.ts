/**
 * The checks a log line passes before it is parsed (line-checks.ts): UTF-8 well-formedness by
 * the table of RFC 3629 §4, nesting depth, and whether a last line without a newline is already
 * whole. Byte sequences are written out by hand.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exceedsDepth, firstInvalidUtf8, invalidUtf8, isWholeJson } from './line-checks';

const at = (...bytes: number[]) => firstInvalidUtf8(Uint8Array.from(bytes));

test('well-formed UTF-8 of every length passes, at each end of its range', () => {
  assert.equal(at(), -1);
  assert.equal(at(0x00, 0x41, 0x7f), -1);
  assert.equal(at(0xc2, 0x80, 0xdf, 0xbf), -1); // U+0080, U+07FF
  assert.equal(at(0xe0, 0xa0, 0x80, 0xed, 0x9f, 0xbf, 0xee, 0x80, 0x80, 0xef, 0xbf, 0xbf), -1); // U+0800, U+D7FF, U+E000, U+FFFF
  assert.equal(at(0xf0, 0x90, 0x80, 0x80, 0xf4, 0x8f, 0xbf, 0xbf), -1); // U+10000, U+10FFFF
  assert.equal(firstInvalidUtf8(Buffer.from('{"name":"Zoë 数据 🚀"}', 'utf8')), -1);
});

test('the offset of the first bad byte: lone continuation, bad lead, truncation, overlong, surrogate, beyond U+10FFFF', () => {
  assert.equal(at(0x41, 0x80), 1); // continuation byte without a lead
  assert.equal(at(0x41, 0x42, 0xc0, 0x80), 2); // C0 never leads (overlong "/")
  assert.equal(at(0xc1, 0xbf), 0);
  assert.equal(at(0xf5, 0x80, 0x80, 0x80), 0); // F5 would lead beyond U+10FFFF
  assert.equal(at(0xff), 0);
  assert.equal(at(0x41, 0xc3), 1); // truncated at the end
  assert.equal(at(0xe2, 0x82, 0x41), 0); // a non-continuation inside the sequence
  assert.equal(at(0xe0, 0x80, 0x80), 0); // overlong three-byte (U+0000)
  assert.equal(at(0xe0, 0x9f, 0xbf), 0); // overlong U+07FF
  assert.equal(at(0xf0, 0x8f, 0xbf, 0xbf), 0); // overlong U+FFFF
  assert.equal(at(0x41, 0xed, 0xa0, 0x80), 1); // U+D800, a surrogate
  assert.equal(at(0xed, 0xbf, 0xbf), 0); // U+DFFF
  assert.equal(at(0xf4, 0x90, 0x80, 0x80), 0); // U+110000
  assert.equal(at(0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xff), 5); // after "é€"
  // Continuation bytes and F8 never lead, even when what follows would complete a sequence.
  assert.equal(at(0x9f, 0x80), 0);
  assert.equal(at(0x84, 0x80, 0x80, 0x80), 0);
  assert.equal(at(0xf8, 0x90, 0x80, 0x80), 0);
});

test('the sentence names the byte offset in the file and, for a line, the byte within it', () => {
  assert.equal(invalidUtf8(0, 120), 'The line is not valid UTF-8 at byte offset 120 of the file (byte 1 of the line).');
  assert.equal(invalidUtf8(9, 42), 'The line is not valid UTF-8 at byte offset 42 of the file (byte 10 of the line).');
  assert.equal(invalidUtf8(null, 7), 'The file is not valid UTF-8 at byte offset 7.');
});

test('nesting deeper than the limit, counting both brackets and skipping strings', () => {
  assert.equal(exceedsDepth('{"a":{"b":[1]}}', 3), false);
  assert.equal(exceedsDepth('{"a":{"b":[1]}}', 2), true);
  assert.equal(exceedsDepth('[[[]]]', 3), false);
  assert.equal(exceedsDepth('[[[[]]]]', 3), true);
  // Siblings do not add up: depth returns after each closing bracket.
  assert.equal(exceedsDepth('[[],[],[],[]]', 2), false);
  assert.equal(exceedsDepth('{"a":[],"b":{},"c":[[]]}', 2), true);
  // Brackets inside strings (and escaped quotes inside them) are text.
  assert.equal(exceedsDepth('{"a":"[[[[{{{{","b":1}', 1), false);
  assert.equal(exceedsDepth('{"a":"say \\"[[[[\\" now","b":[]}', 1), true);
  assert.equal(exceedsDepth('{"a":"\\"[[[["}', 1), false); // an escaped quote does not end the string
  assert.equal(exceedsDepth('{"a":"\\\\","b":{"c":{}}}', 2), true);
  assert.equal(exceedsDepth('{"a":"\\\\","b":{"c":{}}}', 3), false);
  assert.equal(exceedsDepth('"no brackets"', 0), false);
});

test('a last line without a newline is whole when it parses as JSON on its own', () => {
  assert.equal(isWholeJson('{"eventType":"START"}'), true);
  assert.equal(isWholeJson('  [1, 2]  '), true);
  assert.equal(isWholeJson('{"eventType":"ST'), false);
  assert.equal(isWholeJson(''), false);
  assert.equal(isWholeJson(' \t '), false);
});
