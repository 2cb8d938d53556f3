import { useEffect, useMemo, useState } from 'react';
import type { ColumnLineageDto, TransformationDto } from '../../shared/columns-dto';
import { COLUMN_KINDS } from '../state/canvas-columns-slice';
import { useApp } from '../state/use-app';
import { ColumnCard, type ColumnSide } from './ColumnCard';
import { useGraphController } from './controller-context';
import { PALETTES } from './kind-style';
import { edgePath, placeAnchors, type AnchorBox, type AnchorInput } from './model/column-anchors';
import { shownColumnPath } from './model/column-path';
import './canvas-columns.css';

/** A path node's chip line names at most this many of its columns, then "+N". */
const MAX_CHIPS = 6;

interface Chip {
  readonly id: string;
  readonly name: string;
  readonly side: ColumnSide;
}

/**
 * Columns on the canvas (issue 19): the selected dataset's "Columns" button, the cards of
 * expanded nodes, and — while a column is picked — chips naming the path's columns under each
 * node it crosses, joined by column edges (solid DIRECT, dotted INDIRECT) in the two lineage
 * colours. HTML and SVG over the canvas, re-anchored on every frame Cytoscape renders.
 */
export function CanvasColumns() {
  const controller = useGraphController();
  const [, setFrame] = useState(0);
  const cards = useApp((s) => s.canvasColumns);
  const view = useApp((s) => s.view);
  const theme = useApp((s) => s.theme);
  const selectedId = useApp((s) => s.selectedId);
  const overlay = useApp((s) => s.overlay);
  const selectedColumn = useApp((s) => s.selectedColumn);
  const columnState = useApp((s) => s.columnState);
  const columnUpstream = useApp((s) => s.columnUpstream);
  const columnDownstream = useApp((s) => s.columnDownstream);
  const expand = useApp((s) => s.expandColumns);
  const sizeOf = useMemo(() => new Map(view?.nodes.map((n) => [n.id, n]) ?? []), [view]);
  const sel = selectedId ? view?.nodes.find((n) => n.id === selectedId) : undefined;
  const path = view ? shownColumnPath({ selectedId, overlay, view, selectedColumn, columnState, columnUpstream, columnDownstream }) : null;
  // Follow the canvas frame by frame only while something hangs off a node (panning costs nothing otherwise).
  const anchored = Object.keys(cards).length > 0 || path !== null || (sel !== undefined && COLUMN_KINDS.has(sel.kind));
  useEffect(() => {
    const c = controller.current;
    if (!c || !anchored) return;
    let raf = 0;
    const off = c.view.onRender(() => {
      if (!raf) raf = requestAnimationFrame(() => {
        raf = 0;
        setFrame((f) => f + 1);
      });
    });
    return () => {
      off();
      cancelAnimationFrame(raf);
    };
  }, [controller, anchored]);
  const c = controller.current;
  if (!c || !view || !anchored) return null;

  const sideOf = new Map<string, ColumnSide>();
  const chipsOf = new Map<string, Chip[]>();
  if (path) {
    const add = (node: string, chip: Chip) => (chipsOf.get(node) ?? chipsOf.set(node, []).get(node)!).push(chip);
    add(path.up.node, { id: path.up.id, name: path.up.column, side: 'own' });
    sideOf.set(path.up.id, 'own');
    for (const [side, d] of [['up', path.up], ['down', path.down]] as const) {
      for (const col of d.columns) {
        if (sideOf.has(col.id)) continue;
        sideOf.set(col.id, side);
        add(col.node, { id: col.id, name: col.column, side });
      }
    }
  }

  const zoom = c.view.viewport().zoom;
  const anchors: AnchorInput[] = [];
  const at = (id: string) => {
    const p = c.view.renderedPositionOf(id);
    const n = sizeOf.get(id);
    return p ? { x: p.x, y: p.y, h: (n?.height ?? 26) * zoom, w: (n?.width ?? 120) * zoom } : null;
  };
  for (const card of Object.values(cards)) {
    const p = at(card.node);
    if (p) anchors.push({ id: card.node, ...p, kind: 'card', rows: card.page?.columns.map((col) => col.id) ?? [] });
  }
  for (const [node, chips] of chipsOf) {
    const p = cards[node] ? null : at(node);
    if (p) anchors.push({ id: node, ...p, kind: 'chips', rows: chips.map((ch) => ch.id) });
  }
  const { boxes, ports } = placeAnchors(anchors, zoom);

  const selAt = sel && COLUMN_KINDS.has(sel.kind) && !cards[sel.id] ? at(sel.id) : null;
  const pal = PALETTES[theme];
  const edges = path ? columnEdges(path.up, path.down) : [];
  return (
    <div className="canvas-columns-layer" style={{ ['--col-up' as string]: pal.upstream, ['--col-down' as string]: pal.downstream }} data-testid="canvas-columns-layer">
      <svg className="column-edges" aria-hidden="true">
        {edges.map((e) => {
          const a = ports.get(e.source);
          const b = ports.get(e.target);
          if (!a || !b) return null;
          // A dotted INDIRECT edge runs 3 px below: between the same two chip lines it would hide under a solid one.
          const dy = e.direct ? 0 : 3;
          return <path key={`${e.source}>${e.target}`} d={edgePath({ ...a, y: a.y + dy }, { ...b, y: b.y + dy })} className={`column-edge ${e.side} ${e.direct ? 'direct' : 'indirect'}`} data-source={e.source} data-target={e.target} />;
        })}
      </svg>
      {selAt && (
        <button type="button" className="cc-expand" style={{ left: selAt.x, top: selAt.y + selAt.h / 2 + 4 }} onClick={() => void expand(sel!.id)}
          data-testid="expand-columns" title="Show this dataset's columns on the canvas (or double-click the node)">▾ Columns</button>
      )}
      {/* Cards last: drawn over chips they happen to overlap, as they are what the user works in. */}
      {boxes.filter((b) => b.kind === 'chips').map((b) => <ChipLine key={`chips:${b.id}`} node={b.id} chips={chipsOf.get(b.id)!} box={b} />)}
      {boxes.filter((b) => b.kind === 'card').map((b) => <ColumnCard key={`card:${b.id}`} card={cards[b.id]!} box={b} sideOf={sideOf} />)}
    </div>
  );
}

/** The path's columns in one node, on one line over its bottom edge; a click picks that column. */
function ChipLine({ node, chips, box }: { node: string; chips: readonly Chip[]; box: AnchorBox }) {
  const pick = useApp((s) => s.pickCanvasColumn);
  const more = chips.length - MAX_CHIPS;
  return (
    <div className="cc-chips" data-testid="column-chips" data-node={node} title={chips.map((ch) => ch.name).join(', ')}
      style={{ left: box.left, top: box.top, width: box.width, transform: `scale(${box.scale})` }}>
      {chips.slice(0, MAX_CHIPS).map((ch) => (
        <span key={ch.id} className={`cc-chip side-${ch.side}`} data-column={ch.id} onClick={() => void pick(node, ch.name)}>{ch.name}</span>
      ))}
      {more > 0 && <span className="cc-chip-more">+{more}</span>}
    </div>
  );
}

/** The column edges of both walks, oriented as data flows, with their side and whether any transformation is DIRECT. */
function columnEdges(up: ColumnLineageDto, down: ColumnLineageDto): { source: string; target: string; side: 'up' | 'down'; direct: boolean }[] {
  const direct = (ts: readonly TransformationDto[]) => ts.some((t) => t.type === 'DIRECT');
  return [
    ...up.edges.map((e) => ({ source: e.source, target: e.target, side: 'up' as const, direct: direct(e.transformations) })),
    ...down.edges.map((e) => ({ source: e.source, target: e.target, side: 'down' as const, direct: direct(e.transformations) })),
  ];
}
