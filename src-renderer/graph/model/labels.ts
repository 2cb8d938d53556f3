/**
 * Node labels as drawn: short enough to sit inside a node at a readable size, with the full
 * name kept for hover and the inspector. Pure, so layout (which needs node widths) and the
 * view agree on every width without measuring text in the DOM.
 */

/** The most characters a node label shows; longer ones are middle-truncated. */
export const MAX_LABEL_CHARS = 26;
/** Model-space font size of node labels (px at zoom 1). */
export const LABEL_FONT_PX = 13;
/** Average advance of one character at LABEL_FONT_PX in the UI font (measured for Inter / DejaVu Sans). */
const CHAR_PX = 7.4;
/** Horizontal padding inside a node around its label. */
const PAD_PX = 22;
export const NODE_HEIGHT = 26;
export const GROUP_HEIGHT = 44;

/**
 * `data/raw/2026/day-01.csv` → `2026/day-01.csv`: the last two path segments carry the meaning.
 * When they are too long the folder gives way first (`…Datasets/churn_td_0`): the end of a name
 * is what tells siblings apart.
 */
export function shortLabel(label: string, max = MAX_LABEL_CHARS): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(label);
  const body = scheme ? label.slice(scheme[0].length) : label;
  const parts = body.split('/').filter(Boolean);
  if (parts.length === 0) return middleTruncate(label, max);
  const last = parts[parts.length - 1]!;
  if (parts.length === 1 || last.length >= max - 4) return middleTruncate(parts.length === 1 ? body : last, max);
  const folder = parts[parts.length - 2]!;
  const room = max - last.length - 1;
  return folder.length <= room ? `${folder}/${last}` : `…${folder.slice(folder.length - (room - 1))}/${last}`;
}

/** Keeps the start and the end (where versions and dates live): `Churn_featu…_features_1`. */
export function middleTruncate(s: string, max = MAX_LABEL_CHARS): string {
  if (s.length <= max) return s;
  const tail = Math.ceil((max - 1) / 2);
  const head = max - 1 - tail;
  return `${s.slice(0, head)}…${s.slice(s.length - tail)}`;
}

/** Width of a node drawn with this (already shortened) label, in model px. */
export function nodeWidth(label: string, minWidth = 44): number {
  const longestLine = label.split('\n').reduce((m, l) => Math.max(m, l.length), 0);
  return Math.max(minWidth, Math.round(longestLine * CHAR_PX + PAD_PX));
}

/** "1,240" — counts on group nodes. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
