/**
 * Short forms of hashes and version labels for display. A "changed" line must never show the
 * same short form on both sides ("f7abae14… → f7abae14…"), so a pair is shortened together:
 * each side keeps as many characters as it takes to tell them apart.
 */

/** `sha256:9f8e…`, `run:3f2a…` or a bare hex digest: worth shortening. Anything else (table versions, package versions) is shown whole. */
const HASH_LIKE = /^([A-Za-z0-9_-]+:)?([0-9a-fA-F][0-9a-fA-F-]{11,})$/;

export interface ShortOptions {
  /** Characters of the digest kept (at least). Default 8. */
  readonly digits?: number;
  /** Keep a `sha256:`-style scheme in front (default true). */
  readonly scheme?: boolean;
  /** Appended when characters were cut (default `…`; git-style short shas use ''). */
  readonly mark?: string;
}

/** The short form of one hash-like value: its scheme and the first `digits` characters, then an ellipsis. */
export function shortHash(value: string, opts: ShortOptions = {}): string {
  const m = HASH_LIKE.exec(value);
  if (!m) return value;
  const body = m[2]!;
  const digits = opts.digits ?? 8;
  const scheme = opts.scheme === false ? '' : (m[1] ?? '');
  return body.length <= digits ? `${scheme}${body}` : `${scheme}${body.slice(0, digits)}${opts.mark ?? '…'}`;
}

/**
 * Short forms of two values, each keeping at least `digits` characters and, when the values
 * differ, as many more as it takes for the short forms to differ too. Equal values get equal
 * short forms.
 */
export function shortPair(before: string, after: string, opts: ShortOptions = {}): { before: string; after: string } {
  const a = HASH_LIKE.exec(before), b = HASH_LIKE.exec(after);
  if (before === after || !a || !b || (a[1] ?? '') !== (b[1] ?? '')) return { before: shortHash(before, opts), after: shortHash(after, opts) };
  const x = a[2]!, y = b[2]!;
  let common = 0;
  while (common < x.length && common < y.length && x[common] === y[common]) common++;
  const digits = Math.max(opts.digits ?? 8, common + 1);
  return { before: shortHash(before, { ...opts, digits }), after: shortHash(after, { ...opts, digits }) };
}
