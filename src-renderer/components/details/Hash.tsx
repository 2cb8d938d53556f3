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
        {copied ? '✓' : '⧉'}
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
