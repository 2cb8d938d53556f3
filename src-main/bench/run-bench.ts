import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { BenchCase, BenchMetric } from './bench-case';

export interface BenchReport {
  readonly machine: { cpus: number; cpuModel: string; memGiB: number; node: string; platform: string };
  readonly startedAt: string;
  readonly quick: boolean;
  readonly cases: { name: string; description: string; seconds: number; metrics: BenchMetric[]; error?: string }[];
}

/**
 * Runs the named cases one after another (never in parallel: they would measure each other),
 * each in a fresh temp folder. A failing case is reported, the others still run.
 */
export async function runBench(all: readonly BenchCase[], opts: { quick: boolean; only?: readonly string[]; log(m: string): void }): Promise<BenchReport> {
  const unknown = (opts.only ?? []).filter((n) => !all.some((c) => c.name === n));
  if (unknown.length) throw new AppError('INVALID_ARGUMENT', `Unknown bench case ${unknown.map((u) => `"${u}"`).join(', ')}; known: ${all.map((c) => c.name).join(', ')}.`);
  const chosen = opts.only?.length ? all.filter((c) => opts.only!.includes(c.name)) : all;
  const report: BenchReport = {
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}` },
    startedAt: new Date().toISOString(),
    quick: opts.quick,
    cases: [],
  };
  for (const c of chosen) {
    const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), `retrace-bench-${c.name}-`));
    const t0 = Date.now();
    opts.log(`bench: ${c.name} — ${c.description}`);
    try {
      const metrics = await c.run({ quick: opts.quick, tmpDir, log: opts.log });
      report.cases.push({ name: c.name, description: c.description, seconds: (Date.now() - t0) / 1000, metrics });
    } catch (err) {
      report.cases.push({ name: c.name, description: c.description, seconds: (Date.now() - t0) / 1000, metrics: [], error: err instanceof Error ? err.message : String(err) });
    } finally {
      fs.rmSync(tmpDir, { recursive: true, force: true });
    }
  }
  return report;
}

/** The Markdown table printed on stdout. */
export function benchMarkdown(r: BenchReport): string {
  const lines = [
    `Retrace bench — ${r.startedAt}${r.quick ? ' (quick)' : ''} — ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memGiB} GiB, Node ${r.machine.node}`,
    '',
    '| case | metric | value | unit | goal | met |',
    '|---|---|---:|---|---|---|',
  ];
  for (const c of r.cases) {
    if (c.error) lines.push(`| ${c.name} | **failed** | — | — | — | ${c.error.replace(/\|/g, '\\|')} |`);
    for (const m of c.metrics) {
      lines.push(`| ${c.name} | ${m.name} | ${formatValue(m.value)} | ${m.unit} | ${m.goal ?? ''} | ${m.met === undefined ? '' : m.met ? 'yes' : '**no**'} |`);
    }
  }
  return lines.join('\n') + '\n';
}

function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  return String(Math.round(v * 1000) / 1000);
}
