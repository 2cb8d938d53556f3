import picomatch from 'picomatch';

/**
 * The one glob dialect of Retrace — artifact naming rules, log sources, capture ignore rules —
 * so a pattern means the same wherever a user writes it. picomatch's syntax over POSIX paths:
 * `**` any number of segments, `*` and `?` within one, `{a,b}` alternatives, `[abc]` classes,
 * `!(…)` and the other extglobs. Dotfiles and dot-folders match like any other name (`dot`):
 * `**` must reach into `.venv/` or `.retrace/`.
 */
const OPTIONS = { dot: true } as const;

const compiled = new Map<string, RegExp>();

/** An anchored regular expression for `glob` (compiled once per glob: compiling is the slow part). */
export function globToRegExp(glob: string): RegExp {
  let re = compiled.get(glob);
  if (!re) {
    re = picomatch.makeRe(glob, OPTIONS);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(glob, re);
  }
  return re;
}

/** Whether `text` uses glob syntax at all (else it names one path). */
export function isGlob(text: string): boolean {
  return picomatch.scan(text).isGlob;
}

/** The literal folder a glob starts from (`/logs/**\/*.jsonl` → `/logs`), where a walk can begin. */
export function globBase(glob: string): string {
  return picomatch.scan(glob).base;
}
