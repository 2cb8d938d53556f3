/**
 * ISO-8601 parsing that is exact about what it assumed. `Date.parse` treats a zone-less
 * date-time as *local* time and its handling of 7–9 fraction digits varies, so we parse
 * ourselves: any number of fraction digits (truncated to ms), zone-less = UTC (reported).
 */
const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

export interface ParsedTime {
  readonly ms: number;
  /** True when the text had no zone and UTC was assumed. */
  readonly assumedUtc: boolean;
}

export function parseIsoTime(text: string): ParsedTime | null {
  const m = ISO_RE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  const year = Number(y);
  // Date.UTC rolls an impossible date over (2021-02-31 becomes 3 March, 24:30 the next day), so
  // every field is checked against the calendar first. RFC 3339: hours 00–23; a leap second
  // (:60) only in the last minute of an hour, read as :59 because a JS time cannot hold it.
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 60 || (second === 60 && minute !== 59)) return null;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  let t = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms);
  // Date.UTC maps years 0–99 to 1900–1999; a four-digit year means what it says.
  if (year < 100) t = new Date(t).setUTCFullYear(year);
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offHours = Number(digits.slice(0, 2));
    const offMinutes = Number(digits.slice(2, 4) || '0');
    if (offHours > 23 || offMinutes > 59) return null;
    t -= sign * (offHours * 60 + offMinutes) * 60_000;
  }
  // Four-digit years and bounded offsets keep t within a JS date (±8.64e15 ms): no range check.
  return { ms: t, assumedUtc: !zone };
}

/** The largest time a JS Date can hold; beyond it a "time" is garbage (and not an SQLite integer). */
const MAX_TIME_MS = 8.64e15;

/** Gregorian: every 4th year is a leap year, except centuries not divisible by 400. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Epoch ms or seconds as a number, or a numeric string; null when not a plausible time. */
export function parseEpoch(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < 0) return null;
  // Below 1e11 it is seconds (before 1973 in ms is implausible for provenance).
  const ms = n < 1e11 ? Math.round(n * 1000) : Math.round(n);
  return ms <= MAX_TIME_MS ? ms : null;
}
