import { useEffect, useRef } from 'react';
import { useApp } from '../state/use-app';
import { useGraphController } from './controller-context';

const W = 200;
const H = 130;

/** A small overview of the whole drawing with the visible part framed; click or drag to move there. */
export function Minimap() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const controller = useGraphController();
  const theme = useApp((s) => s.theme);
  const transform = useRef<{ s: number; ox: number; oy: number } | null>(null);

  useEffect(() => {
    const c = controller.current;
    if (!c) return;
    let frame = 0;
    const paint = () => {
      frame = 0;
      const el = canvas.current;
      const ctx = el?.getContext('2d');
      if (!el || !ctx) return;
      const data = c.view.minimap();
      // Everything already in view: an overview would only repeat it.
      const e0 = data.extent;
      const all = data.bounds.x1 >= e0.x1 && data.bounds.y1 >= e0.y1 && data.bounds.x2 <= e0.x2 && data.bounds.y2 <= e0.y2;
      el.style.visibility = all || data.nodes.length === 0 ? 'hidden' : 'visible';
      const dpr = window.devicePixelRatio || 1;
      el.width = W * dpr;
      el.height = H * dpr;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, W, H);
      const bw = Math.max(1, data.bounds.x2 - data.bounds.x1);
      const bh = Math.max(1, data.bounds.y2 - data.bounds.y1);
      const s = Math.min((W - 12) / bw, (H - 12) / bh);
      const ox = (W - bw * s) / 2 - data.bounds.x1 * s;
      const oy = (H - bh * s) / 2 - data.bounds.y1 * s;
      transform.current = { s, ox, oy };
      for (const n of data.nodes) {
        ctx.globalAlpha = n.state === 'dim' ? 0.25 : 1;
        ctx.fillStyle = n.color;
        const w = Math.max(1.5, n.w * s);
        const h = Math.max(1.5, n.h * s);
        ctx.fillRect(n.x * s + ox - w / 2, n.y * s + oy - h / 2, w, h);
      }
      ctx.globalAlpha = 1;
      const e = data.extent;
      ctx.strokeStyle = theme === 'dark' ? '#e6e9ef' : '#1f2330';
      ctx.lineWidth = 1.5;
      ctx.strokeRect(e.x1 * s + ox, e.y1 * s + oy, (e.x2 - e.x1) * s, (e.y2 - e.y1) * s);
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(paint);
    };
    const off = c.view.onRender(schedule);
    schedule();
    return () => {
      off();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [controller, theme]);

  const moveTo = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const t = transform.current;
    const c = controller.current;
    if (!t || !c) return;
    const r = e.currentTarget.getBoundingClientRect();
    c.view.panTo({ x: (e.clientX - r.left - t.ox) / t.s, y: (e.clientY - r.top - t.oy) / t.s });
  };
  return (
    <canvas
      ref={canvas}
      className="minimap"
      style={{ width: W, height: H }}
      data-testid="minimap"
      aria-label="Overview of the graph: click to move there"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        moveTo(e);
      }}
      onPointerMove={(e) => {
        if (e.buttons) moveTo(e);
      }}
    />
  );
}
