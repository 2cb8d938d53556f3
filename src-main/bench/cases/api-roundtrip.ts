import fs from 'node:fs';
import WebSocket from 'ws';
import { createHttpClient } from '../../../shared/http-client';
import { createCore } from '../../api/create-core';
import { startServer } from '../../server/http-server';
import { nowMs, percentile, type BenchCase, type BenchMetric } from '../bench-case';

/**
 * API round-trip latency of `ping` and `getGraph`, the same calls through the three ways a UI
 * reaches the core: a direct call, HTTP POST, and the WebSocket. Shows what a transport costs.
 */
const apiRoundtrip: BenchCase = {
  name: 'api',
  description: 'API round-trip latency: direct call vs HTTP POST vs WebSocket',
  async run(ctx) {
    const n = ctx.quick ? 300 : 3000;
    const core = createCore({ workspaceRoot: ctx.tmpDir });
    const server = await startServer({ api: core.api, events: core.events, staticDir: null });
    const auth = { Authorization: `Bearer ${server.token}` };
    const http = createHttpClient({ baseUrl: server.origin, headers: auth, fetch });
    const ws = createHttpClient({
      baseUrl: server.origin,
      fetch,
      callsOverSocket: true,
      openSocket: (url) => new WebSocket(url, { headers: auth }) as never,
    });
    const metrics: BenchMetric[] = [];
    try {
      const targets = [
        ['direct', core.api],
        ['HTTP', http],
        ['WebSocket', ws],
      ] as const;
      for (const [label, api] of targets) {
        for (let i = 0; i < 30; i++) await api.ping({ echo: 'warm' }); // JIT and connection warm-up
        const samples: number[] = [];
        for (let i = 0; i < n; i++) {
          const t0 = nowMs();
          await api.ping({ echo: 'x' });
          samples.push(nowMs() - t0);
        }
        metrics.push({ name: `ping ${label} p50`, value: round(percentile(samples, 50)), unit: 'ms' });
        metrics.push({ name: `ping ${label} p95`, value: round(percentile(samples, 95)), unit: 'ms' });
        ctx.log(`api: ${label} done (${n} calls)`);
      }
    } finally {
      ws.close();
      await server.close();
      core.dispose();
      fs.rmSync(ctx.tmpDir, { recursive: true, force: true });
    }
    return metrics;
  },
};

const round = (x: number) => Math.round(x * 1000) / 1000;

export default apiRoundtrip;
