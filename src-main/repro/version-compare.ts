import * as pep440 from '@renovatebot/pep440';
import semver from 'semver';

/** Which ordering a package's versions follow: Python's PEP 440 or npm's SemVer 2.0. */
export type Ecosystem = 'pypi' | 'npm';

/** The ecosystem of the packages an interpreter reported ("python" → pypi, "node" → npm). */
export function ecosystemOf(interpreter: string | null | undefined): Ecosystem {
  return interpreter && /\b(node|nodejs|npm|javascript|deno|bun)\b/i.test(interpreter) ? 'npm' : 'pypi';
}

/**
 * Orders two versions of one package (-1, 0, 1) by the rules of its ecosystem, so that an
 * upgrade is never labelled a downgrade: PEP 440 for Python (epochs `1!0.5 > 2.0`, dev releases
 * of a post-release before it: `1.0.post1.dev1 < 1.0.post1`, local labels), SemVer for npm
 * (`1.0.0-beta.2 < 1.0.0`). Strings neither library parses (a git hash, "unknown") fall back to
 * comparing their numeric runs, then the text, so the answer is at least stable.
 */
export function compareVersions(a: string, b: string, ecosystem: Ecosystem = 'pypi'): number {
  if (a === b) return 0;
  if (ecosystem === 'npm') {
    const sa = semver.valid(a, { loose: true });
    const sb = semver.valid(b, { loose: true });
    if (sa && sb) return semver.compare(sa, sb);
  } else if (pep440.valid(a) && pep440.valid(b)) {
    return Math.sign(pep440.compare(a, b));
  }
  return fallbackCompare(a, b);
}

function fallbackCompare(a: string, b: string): number {
  const na = (a.match(/\d+/g) ?? []).map(Number);
  const nb = (b.match(/\d+/g) ?? []).map(Number);
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (na[i] ?? -1) - (nb[i] ?? -1);
    if (d !== 0) return Math.sign(d);
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
