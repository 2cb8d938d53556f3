import fs from 'node:fs';
import path from 'node:path';
import { openDb } from './src-main/db/open-db';
import { ingestOnce } from './src-main/provenance/ingest';
import { synthLines } from './src-main/provenance/synth';
import { ensureWorkspace } from './src-main/workspace/workspace-paths';
const events = Number(process.argv[2] ?? 100000);
const src = `/tmp/ingbench/synth-${events}.jsonl`;
if (!fs.existsSync(src)) {
  let out = '';
  for (const l of synthLines({ events })) out += l + '\n';
  fs.writeFileSync(src, out);
}
const root = fs.mkdtempSync('/tmp/ingbench/ws-');
const paths = ensureWorkspace(root);
fs.copyFileSync(src, path.join(paths.logsDir, 'bench.jsonl'));
// ceiling
let t0 = performance.now();
{
  const fd = fs.openSync(src, 'r'); const buf = Buffer.allocUnsafe(1 << 20); let pos = 0; let rest = ''; let n = 0;
  for (;;) { const read = fs.readSync(fd, buf, 0, buf.length, pos); if (!read) break; pos += read; const text = rest + buf.toString('utf8', 0, read); let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) { if (nl > start) { JSON.parse(text.slice(start, nl)); n++; } start = nl + 1; } rest = text.slice(start); }
  fs.closeSync(fd);
}
const ceil = performance.now() - t0;
const db = openDb(paths.dbFile);
t0 = performance.now();
const r = ingestOnce({ paths, db });
const ms = performance.now() - t0;
db.close();
console.log(JSON.stringify({ events: r.events, ms: Math.round(ms), rate: Math.round(r.events / ms * 1000), ceiling: Math.round(events / ceil * 1000), ratio: +(ceil / ms * 100).toFixed(1), rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) }));
fs.rmSync(root, { recursive: true, force: true });
console.log(JSON.stringify((globalThis as any).__T), JSON.stringify((globalThis as any).__N));
