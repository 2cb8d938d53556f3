import { useEffect, useState } from 'react';
import { useApp } from '../state/use-app';
import { useGraphController } from './controller-context';

/** The full name of the node under the pointer (labels are shortened, and hidden when zoomed out). */
export function HoverCard() {
  const controller = useGraphController();
  const [hover, setHover] = useState<{ id: string; x: number; y: number } | null>(null);
  const view = useApp((s) => s.view);
  useEffect(() => controller.current?.onHover(setHover), [controller]);
  if (!hover || !view) return null;
  const node = view.nodes.find((n) => n.id === hover.id);
  if (!node) return null;
  return (
    <div className="hover-card" style={{ left: hover.x + 14, top: hover.y + 14 }} role="tooltip" data-testid="hover-card">
      <div className="hover-name">{node.fullLabel}</div>
      {node.kind === 'group' && <div className="muted">Double-click or Enter to open</div>}
      {node.kind === 'stub' && <div className="muted">Click to show one more hop</div>}
      {node.version && <div className="muted">version {node.version}</div>}
    </div>
  );
}
