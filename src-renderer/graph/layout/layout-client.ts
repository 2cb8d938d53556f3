/**
 * The main thread's side of layout: posts a job to the worker and resolves with the answer to
 * the newest job only (a superseded job resolves to null, its caller has moved on). Where a
 * worker cannot start or load (unit tests under Node, a shell that refuses workers), jobs run
 * inline instead — slower for huge graphs, never wrong.
 */
import { runLayoutJob, type LayoutRequest, type LayoutResponse } from './layout-job';

export interface LayoutClient {
  run(job: Omit<LayoutRequest, 'seq'>): Promise<LayoutResponse | null>;
  dispose(): void;
}

export function createLayoutClient(): LayoutClient {
  let seq = 0;
  let worker: Worker | null = null;
  let pending: { req: LayoutRequest; resolve: (r: LayoutResponse | null) => void } | null = null;
  const inline = (req: LayoutRequest) => runLayoutJob(req).then((r) => (r.seq === seq ? r : null));
  try {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module', name: 'retrace-layout' });
    worker.onmessage = (e: MessageEvent<LayoutResponse>) => {
      if (!pending || pending.req.seq !== e.data.seq) return;
      const p = pending;
      pending = null;
      p.resolve(e.data);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      worker?.terminate();
      worker = null;
      if (pending) {
        const p = pending;
        pending = null;
        void inline(p.req).then(p.resolve);
      }
    };
  } catch {
    worker = null;
  }
  return {
    run(job) {
      const req: LayoutRequest = { ...job, seq: ++seq };
      if (pending) pending.resolve(null);
      pending = null;
      if (!worker) return inline(req);
      return new Promise((resolve) => {
        pending = { req, resolve };
        worker!.postMessage(req);
      });
    },
    dispose() {
      worker?.terminate();
      worker = null;
      pending?.resolve(null);
      pending = null;
    },
  };
}
