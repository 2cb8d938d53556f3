import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEpoch, parseIsoTime } from './time';

// Expected epoch values worked out by hand: days since 1970-01-01 × 86,400,000 ms
// (2020-02-29 is day 18,321: 50 years of 365 days + 12 leap days + 31 + 28 days into 2020).

test('impossible calendar dates are refused, not rolled over', () => {
  for (const text of [
    '2021-02-31T00:00:00Z', // 31 February (Date.UTC would give 3 March)
    '2021-02-29T12:00:00Z', // 2021 is not a leap year
    '1900-02-29', // a century not divisible by 400 is not a leap year
    '2021-04-31', '2021-06-31', '2021-09-31', '2021-11-31', // 30-day months
    '2021-00-10', '2021-13-01', '2021-01-00', '2021-01-32',
  ]) assert.equal(parseIsoTime(text), null, text);
});

test('impossible times of day and zone offsets are refused', () => {
  for (const text of [
    '2021-01-01T24:30:00Z', // Date.UTC would give 00:30 the next day
    '2021-01-01T24:00:00Z', // RFC 3339 hours are 00–23
    '2021-01-01T23:60:00Z',
    '2021-01-01T12:30:60Z', // a leap second only in the last minute of an hour
    '2021-01-01T12:59:61Z',
    '2021-01-01T12:00:00+24:00',
    '2021-01-01T12:00:00+05:60',
  ]) assert.equal(parseIsoTime(text), null, text);
});

test('real dates at the edges of the calendar are read exactly', () => {
  assert.deepEqual(parseIsoTime('2020-02-29T00:00:00Z'), { ms: 18_321 * 86_400_000, assumedUtc: false });
  assert.equal(parseIsoTime('2000-02-29T00:00:00Z')!.ms, 11_016 * 86_400_000); // 2000 is a leap year (divisible by 400)
  assert.equal(parseIsoTime('2021-04-30T23:59:59.999Z')!.ms, 18_748 * 86_400_000 - 1);
  assert.equal(parseIsoTime('2021-12-31T23:59:59Z')!.ms, 18_993 * 86_400_000 - 1000);
  // A leap second is read as the last second of its minute.
  assert.equal(parseIsoTime('2016-12-31T23:59:60Z')!.ms, 17_167 * 86_400_000 - 1000);
  // Offsets at their limits: 23:59 ahead is the previous day's 00:01.
  assert.equal(parseIsoTime('2021-01-02T00:00:00+23:59')!.ms, 18_628 * 86_400_000 + 60_000);
  // A four-digit year below 100 is not shifted into the 1900s.
  assert.equal(new Date(parseIsoTime('0050-01-01T00:00:00Z')!.ms).getUTCFullYear(), 50);
});

test('zones: Z or z, ±hh:mm, ±hhmm, ±hh; none is UTC and says so', () => {
  const noon = 18_628 * 86_400_000 + 12 * 3_600_000; // 2021-01-01T12:00:00Z
  assert.deepEqual(parseIsoTime('2021-01-01T12:00:00Z'), { ms: noon, assumedUtc: false });
  assert.deepEqual(parseIsoTime('2021-01-01T12:00:00z'), { ms: noon, assumedUtc: false });
  assert.deepEqual(parseIsoTime('2021-01-01T12:00:00'), { ms: noon, assumedUtc: true });
  assert.deepEqual(parseIsoTime('2021-01-01 12:00:00'), { ms: noon, assumedUtc: true });
  // 12:00 at +05:30 is 06:30 UTC; at -03:00 it is 15:00 UTC.
  assert.equal(parseIsoTime('2021-01-01T12:00:00+05:30')!.ms, noon - 5.5 * 3_600_000);
  assert.equal(parseIsoTime('2021-01-01T12:00:00+0530')!.ms, noon - 5.5 * 3_600_000);
  assert.equal(parseIsoTime('2021-01-01T12:00:00-03:00')!.ms, noon + 3 * 3_600_000);
  assert.equal(parseIsoTime('2021-01-01T12:00:00-03')!.ms, noon + 3 * 3_600_000);
  assert.equal(parseIsoTime('2021-01-01T12:00:00 +01:00')!.ms, noon - 3_600_000);
});

test('dates without a time, minutes without seconds, fractions of any length, spaces around', () => {
  const day = 18_628 * 86_400_000; // 2021-01-01
  assert.deepEqual(parseIsoTime('2021-01-01'), { ms: day, assumedUtc: true });
  assert.equal(parseIsoTime('2021-01-01T08:15Z')!.ms, day + (8 * 60 + 15) * 60_000);
  assert.equal(parseIsoTime('2021-01-01T00:00:01.5Z')!.ms, day + 1500);
  assert.equal(parseIsoTime('2021-01-01T00:00:01,25Z')!.ms, day + 1250);
  // Beyond milliseconds the digits are cut, not rounded.
  assert.equal(parseIsoTime('2021-01-01T00:00:01.123999999Z')!.ms, day + 1123);
  assert.equal(parseIsoTime('  2021-01-01T00:00:00Z\n')!.ms, day);
  for (const text of ['x2021-01-01', '2021-01-01T00:00:00Zx', '2021-1-01', '2021-01-01T0:00', '2021-01-01T00:00:00.Z', 'yesterday', '']) {
    assert.equal(parseIsoTime(text), null, text);
  }
});

test('years at the edges: 0099 stays in the first century, 0100 and beyond as written; beyond a JS date is refused', () => {
  assert.equal(new Date(parseIsoTime('0099-12-31T00:00:00Z')!.ms).getUTCFullYear(), 99);
  assert.equal(new Date(parseIsoTime('0100-01-01T00:00:00Z')!.ms).toISOString(), '0100-01-01T00:00:00.000Z');
  // A JS date reaches ±8.64e15 ms: +275760-09-13; four-digit years never pass it, offsets cannot either.
  assert.equal(parseIsoTime('9999-12-31T23:59:59Z')!.ms, 253_402_300_799_000);
});

test('epoch times: seconds below 1e11, milliseconds above; numbers or digit strings; nothing negative or beyond a JS date', () => {
  assert.equal(parseEpoch(1_767_225_600), 1_767_225_600_000); // 2026-01-01 in seconds
  assert.equal(parseEpoch(1_767_225_600.25), 1_767_225_600_250);
  assert.equal(parseEpoch(1_767_225_600_000), 1_767_225_600_000);
  assert.equal(parseEpoch('1767225600'), 1_767_225_600_000);
  assert.equal(parseEpoch('1767225600.5'), 1_767_225_600_500);
  assert.equal(parseEpoch('1767225600.25'), 1_767_225_600_250);
  assert.equal(parseEpoch(99_999_999_999), 99_999_999_999_000); // just below 1e11: still seconds
  assert.equal(parseEpoch(100_000_000_000), 100_000_000_000); // 1e11: milliseconds
  assert.equal(parseEpoch(0), 0);
  assert.equal(parseEpoch(8.64e15), 8.64e15);
  assert.equal(parseEpoch(8.64e15 + 1), null);
  for (const v of [-1, '-1', '1e9', ' 1767225600', '1767225600 ', '1767225600.', '17.6.1', 'abc', NaN, Infinity, null, undefined, {}, [1767225600], true]) {
    assert.equal(parseEpoch(v), null, String(v));
  }
});
