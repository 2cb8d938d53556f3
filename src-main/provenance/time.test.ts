import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIsoTime } from './time';

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
