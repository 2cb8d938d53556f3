/**
 * Where columns are drawn on the canvas (issue 19): an expanded dataset node shows a card of
 * its columns under it, and each node on a selected column's path shows one line of chips naming
 * the path's columns there, over its bottom edge (layers are only 16–32 px apart: a list would
 * cover the next node). Cards and chips are HTML over the canvas, anchored to their node's rendered
 * position and scaled with the zoom; they never take part in the layout, so expanding a node
 * moves nothing. Column edges join the sides of the rows they link (see edgePath).
 * Pure geometry from fixed CSS sizes (columns.css on the canvas keeps them), so it is testable.
 */

/** CSS px at scale 1; the stylesheet sets exactly these heights. */
export const CARD = { width: 216, head: 56, row: 20, foot: 24 } as const;
/** A chip line is as wide as its node, within these bounds. */
export const CHIPS = { minWidth: 72, maxWidth: 220, height: 16 } as const;
/** Gap between a node's bottom edge and what hangs under it. */
const GAP = 6;

export interface AnchorInput {
  /** The graph node. */
  readonly id: string;
  /** Rendered centre and height of the node (CSS px in the canvas). */
  readonly x: number;
  readonly y: number;
  readonly h: number;
  /** Rendered width of the node (a chip line spans it). */
  readonly w: number;
  readonly kind: 'card' | 'chips';
  /** Column ids drawn: a card's rows top to bottom; a chip line's chips (all on one line). */
  readonly rows: readonly string[];
}

export interface AnchorBox {
  readonly id: string;
  readonly kind: 'card' | 'chips';
  readonly left: number;
  readonly top: number;
  readonly scale: number;
  /** CSS width before scaling. */
  readonly width: number;
}

/** Where an edge meets a column's row: its left and right side, at the row's middle. */
export interface Port {
  readonly lx: number;
  readonly rx: number;
  readonly y: number;
}

/**
 * Cards and chips shrink with the zoom but never grow past their CSS size; a card stays readable
 * (it is what the user reads and types in), chips may go smaller (they only name the path).
 */
export function anchorScale(zoom: number, kind: 'card' | 'chips'): number {
  return Math.max(kind === 'card' ? 0.85 : 0.6, Math.min(1, zoom));
}

export function placeAnchors(inputs: readonly AnchorInput[], zoom: number): { boxes: AnchorBox[]; ports: Map<string, Port> } {
  const boxes: AnchorBox[] = [];
  const ports = new Map<string, Port>();
  for (const a of inputs) {
    const s = anchorScale(zoom, a.kind);
    if (a.kind === 'card') {
      const left = a.x - (CARD.width * s) / 2;
      const top = a.y + a.h / 2 + GAP * s;
      boxes.push({ id: a.id, kind: a.kind, left, top, scale: s, width: CARD.width });
      a.rows.forEach((col, i) => {
        // A column shown twice (a card and a chip) keeps its first place: the card, drawn first.
        if (!ports.has(col)) ports.set(col, { lx: left, rx: left + CARD.width * s, y: top + (CARD.head + i * CARD.row + CARD.row / 2) * s });
      });
      continue;
    }
    const width = Math.max(CHIPS.minWidth, Math.min(CHIPS.maxWidth, a.w / s));
    const left = a.x - (width * s) / 2;
    // Half over the node's bottom edge, half below it.
    const top = a.y + a.h / 2 - (CHIPS.height * s) / 2;
    boxes.push({ id: a.id, kind: a.kind, left, top, scale: s, width });
    const port = { lx: left, rx: left + width * s, y: top + (CHIPS.height * s) / 2 };
    for (const col of a.rows) if (!ports.has(col)) ports.set(col, port);
  }
  return { boxes, ports };
}

/**
 * An SVG path for a column edge. Left to right (the usual flow) it leaves the source's right side
 * and enters the target's left; right to left the other way round; when the two rows overlap
 * across (stacked in a top-to-bottom layout) it leaves and enters on the right, bowing outwards.
 */
export function edgePath(from: Port, to: Port): string {
  const [x1, out, x2, inn] = to.lx >= from.rx ? [from.rx, 1, to.lx, -1]
    : to.rx <= from.lx ? [from.lx, -1, to.rx, 1]
    : [from.rx, 1, to.rx, 1];
  const bend = Math.max(40, Math.abs(x2 - x1) / 2);
  return `M${r(x1)},${r(from.y)} C${r(x1 + out * bend)},${r(from.y)} ${r(x2 + inn * bend)},${r(to.y)} ${r(x2)},${r(to.y)}`;
}

const r = (v: number) => Math.round(v * 10) / 10;
