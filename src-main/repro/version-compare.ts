/**
 * Orders package versions the way people read them: numeric release segments compared as
 * numbers (1.10 > 1.9), then pre-releases (a/b/rc/alpha/beta/dev) before the release they
 * precede, post-releases after. Covers PEP 440 and SemVer well enough to say "upgraded" or
 * "downgraded"; anything it cannot order falls back to string comparison.
 */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  const pa = parse(a);
  const pb = parse(b);
  const n = Math.max(pa.release.length, pb.release.length);
  for (let i = 0; i < n; i++) {
    const d = (pa.release[i] ?? 0) - (pb.release[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  const d = pa.phase - pb.phase;
  if (d !== 0) return Math.sign(d);
  const dn = pa.phaseNumber - pb.phaseNumber;
  if (dn !== 0) return Math.sign(dn);
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Parsed {
  release: number[];
  /** dev < alpha < beta < rc < release < post */
  phase: number;
  phaseNumber: number;
}

const PHASES: [RegExp, number][] = [
  [/^(dev)/, 0],
  [/^(a|alpha)/, 1],
  [/^(b|beta)/, 2],
  [/^(rc|c|pre|preview)/, 3],
  [/^(post|p|r|rev)/, 5],
];

function parse(v: string): Parsed {
  const s = v.trim().toLowerCase().replace(/^v/, '').split('+')[0]!;
  const m = /^(\d+(?:\.\d+)*)(.*)$/.exec(s);
  if (!m) return { release: [], phase: 4, phaseNumber: 0 };
  const release = m[1]!.split('.').map(Number);
  const rest = m[2]!.replace(/^[-_.]/, '');
  if (!rest) return { release, phase: 4, phaseNumber: 0 };
  for (const [re, phase] of PHASES) {
    const pm = re.exec(rest);
    if (pm) {
      const num = /(\d+)/.exec(rest.slice(pm[0].length));
      return { release, phase, phaseNumber: num ? Number(num[1]) : 0 };
    }
  }
  return { release, phase: 4, phaseNumber: 0 };
}
