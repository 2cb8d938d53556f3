/**
 * Short forms of hashes and version labels for display. A "changed" line must never show the
 * same short form on both sides ("f7abae14… → f7abae14…"), so a pair is shortened together:
 * each side keeps as many characters as it takes to tell them apart.
 */

/** `sha256:9f8e…`, `run:3f2a…` or a bare hex digest: worth shortening. Anything else (table versions, package versions) is shown whole. */
const HASH_LIKE = /^([A-Za-z0-9_]+:)?([0-9a-fA-F][0-9a-fA-F-]{11,})$/;

/** The short form of one hash-like value: its scheme and the first `digits` characters, then an ellipsis. */
export function shortHash(value: string, digits = 8): string {
  const m = HASH_LIKE.exec(value);
  if (!m) return value;
  const body = m[2]!;
  return body.length <= digits ? value : `${m[1] ?? ''}${body.slice(0, digits)}…`;
}

/**
 * Short forms of two values that differ, each at least `digits` characters long and long
 * enough that the two short forms differ too. Equal values get equal short forms.
 */
export function shortPair(before: string, after: string, digits = 8): { before: string; after: string } {
  if (before === after) return { before: shortHash(before, digits), after: shortHash(after, digits) };
  const a = HASH_LIKE.exec(before), b = HASH_LIKE.exec(after);
  if (!a || !b || (a[1] ?? '') !== (b[1] ?? '')) return { before: shortHash(before, digits), after: shortHash(after, digits) };
  const x = a[2]!, y = b[2]!;
  let common = 0;
  while (common < x.length && common < y.length && x[common] === y[common]) common++;
  const n = Math.max(digits, common + 1);
  return { before: shortHash(before, n), after: shortHash(after, n) };
}
