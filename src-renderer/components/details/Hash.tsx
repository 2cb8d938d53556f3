import { useState } from 'react';

/**
 * A hash or id shown short, with the whole value on hover and a copy button. `against` is the
 * value it is compared with: the short form grows until the two differ, so a "changed" line
 * never shows the same characters on both sides.
 */
export function Hash({ value, against, min = 8 }: { value: string; against?: string; min?: number }) {
  const [copied, setCopied] = useState(false);
  const shown = shortDistinct(value, against, min);
  return (
    <span className="hash" title={value}>
      <code>{shown}</code>
      <button
        type="button"
        className="copy-button"
        aria-label={`Copy ${value}`}
        title={copied ? 'Copied' : 'Copy the full value'}
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1200);
          });
        }}
      >
        {copied ? '✓' : <CopyIcon />}
      </button>
    </span>
  );
}

/** The shortest prefix (at least `min` characters past any `algo:` prefix) that tells `a` from `b`. */
export function shortDistinct(a: string, b: string | undefined, min = 8): string {
  const colon = /^[a-z0-9]+:/i.exec(a)?.[0].length ?? 0;
  let n = colon + min;
  if (b && b !== a) {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    n = Math.max(n, i + 2);
  }
  return a.length <= n + 1 ? a : `${a.slice(0, n)}…`;
}

/** Two overlapping sheets: "copy", drawn (a glyph may be missing from the system font). */
export function CopyIcon() {
  return (
    <svg width="11" height="11" viewBox="0 0 12 12" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.2">
      <rect x="3.5" y="3.5" width="7" height="7" rx="1.2" />
      <path d="M8.5 1.5H2.7A1.2 1.2 0 0 0 1.5 2.7V8.5" />
    </svg>
  );
}
