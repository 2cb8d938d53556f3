/**
 * Checks a log line (or a whole JSON file) must pass before it is parsed: well-formed UTF-8,
 * bounded nesting, and whether an unterminated last line is already a whole JSON value.
 */
export function isWholeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The reason for a line (or, `inLine` null, a whole JSON file) that is not UTF-8: where the first bad byte is. */
export function invalidUtf8(inLine: number | null, inFile: number): string {
  return inLine === null
    ? `The file is not valid UTF-8 at byte offset ${inFile}.`
    : `The line is not valid UTF-8 at byte offset ${inFile} of the file (byte ${inLine + 1} of the line).`;
}

/**
 * Index of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or -1 when all of it is valid.
 */
export function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c < 0x80) { i++; continue; }
    let n: number, min: number, cp: number;
    if (c >= 0xc2 && c <= 0xdf) { n = 1; min = 0x80; cp = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { n = 2; min = 0x800; cp = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 3; min = 0x10000; cp = c & 0x07; }
    else return i;
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if (x === undefined || (x & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (x & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

/** True when brackets nest deeper than `limit` (strings skipped). Cheap: one char scan, early exit. */
export function exceedsDepth(text: string, limit: number): boolean {
  // Fast path: the depth is at most the number of opening brackets, counted with indexOf
  // (a vectorised search) instead of a loop over every character of every line.
  let opens = 0;
  for (let i = text.indexOf('{'); i >= 0 && opens <= limit; i = text.indexOf('{', i + 1)) opens++;
  for (let i = text.indexOf('['); i >= 0 && opens <= limit; i = text.indexOf('[', i + 1)) opens++;
  if (opens <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > limit) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}
