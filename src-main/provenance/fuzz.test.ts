import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ingestOnce } from './ingest';
import { type RecordReader, parseProvenanceLine } from './parse-line';
import { parseOpenLineage } from './parse-openlineage';
import { printable } from './records';
import { MAX_LINE_BYTES } from './session';
import { synthLines } from './synth';
import { FIXTURES, count, tempWorkspace } from './temp-workspace.test-support';

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEIRD: unknown[] = [null, 0, -1, 1e308, '', 'x', [], {}, true, '2020-13-45T99:99:99Z', { runId: 5 }, [[[]]], '\u0000'];

/** One mutated line; never contains a newline (a line is what we test). */
function mutate(base: string, rnd: () => number): string | Buffer {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  switch (Math.floor(rnd() * 9)) {
    case 0: return base.slice(0, Math.floor(rnd() * base.length)); // truncated
    case 1: { // a value of the wrong type somewhere
      const o = JSON.parse(base) as Record<string, unknown>;
      const paths: [Record<string, unknown>, string][] = [];
      const walk = (v: unknown, d: number) => {
        if (d > 5 || typeof v !== 'object' || v === null) return;
        for (const k of Object.keys(v)) {
          paths.push([v as Record<string, unknown>, k]);
          walk((v as Record<string, unknown>)[k], d + 1);
        }
      };
      walk(o, 0);
      const [obj, key] = pick(paths);
      obj[key] = pick(WEIRD);
      return JSON.stringify(o);
    }
    case 2: { // a key removed
      const o = JSON.parse(base) as Record<string, unknown>;
      delete o[pick(Object.keys(o))];
      const run = o.run as Record<string, unknown> | undefined;
      if (run && rnd() < 0.5) delete run.runId;
      return JSON.stringify(o);
    }
    case 3: { // huge field
      const o = JSON.parse(base) as Record<string, unknown>;
      o.blob = 'x'.repeat(1 + Math.floor(rnd() * (rnd() < 0.05 ? 3_000_000 : 200_000)));
      return JSON.stringify(o);
    }
    case 4: { // binary garbage
      const b = Buffer.alloc(1 + Math.floor(rnd() * 400));
      for (let i = 0; i < b.length; i++) b[i] = Math.floor(rnd() * 256);
      return Buffer.from(b.map((x) => (x === 10 ? 32 : x))); // raw bytes, mostly invalid UTF-8
    }
    case 5: { // deep nesting, in a facet or as the whole line
      const d = 100 + Math.floor(rnd() * 20000);
      const deep = '['.repeat(d) + ']'.repeat(d);
      return rnd() < 0.5 ? deep : base.replace('"facets":{', `"facets":{"deep":${deep},`);
    }
    case 6: { // bytes flipped
      const chars = [...base];
      for (let i = 0; i < 3; i++) chars[Math.floor(rnd() * chars.length)] = String.fromCharCode(Math.floor(rnd() * 0x3000));
      return chars.join('').replace(/\n/g, ' ');
    }
    case 7: return JSON.stringify(pick(WEIRD));
    default: return base; // valid (and often a duplicate)
  }
}

test('thousands of mutated lines: no crash, every line accounted for', () => {
  const rnd = prng(1234);
  const bases = [...synthLines({ events: 400, seed: 3 }), ...fs.readFileSync(path.join(FIXTURES, 'hopsworks-file-ops.jsonl'), 'utf8').split('\n').filter(Boolean)];
  const lines: (string | Buffer)[] = [];
  for (let i = 0; i < 4000; i++) lines.push(mutate(bases[Math.floor(rnd() * bases.length)]!, rnd));
  lines.push(''); // a blank line is skipped, not an event
  const ws = tempWorkspace();
  try {
    fs.writeFileSync(path.join(ws.paths.logsDir, 'fuzz.jsonl'), Buffer.concat(lines.flatMap((l) => [Buffer.from(l), Buffer.from('\n')])));
    const r = ingestOnce({ paths: ws.paths, db: ws.db });
    const blank = lines.filter((l) => l.toString().trim() === '').length;
    assert.equal(r.events + r.rejected.length + r.duplicates + blank, lines.length);
    const eventLines = new Set(ws.db.prepare('SELECT line FROM events').pluck().all() as number[]);
    const rejectedLines = new Set(r.rejected.map((x) => x.line));
    assert.equal(eventLines.size, r.events);
    assert.equal(rejectedLines.size, r.rejected.length);
    for (const l of rejectedLines) assert.ok(!eventLines.has(l), `line ${l} both accepted and rejected`);
    assert.ok(r.events > 500 && r.rejected.length > 1000, `a meaningful mix: ${r.events} events, ${r.rejected.length} rejected`);
    for (const x of r.rejected) {
      assert.match(x.reason, /^[A-Z].*\.$/s, `one sentence: ${x.reason}`);
      assert.equal(printable(x.reason), x.reason, `no control characters: ${x.reason}`);
    }
    assert.ok(r.rejected.some((x) => /nested deeper than/.test(x.reason)));
    assert.equal(count(ws.db, 'prov_rejected'), r.rejected.length);
    // Every rejection is the input's fault: a parser that threw would be counted here.
    assert.equal(r.warnings.parser_bug, undefined, 'lines rejected because the parser threw');
    assert.deepEqual(r.rejected.filter((x) => /defect in its parser/.test(x.reason)), []);
  } finally {
    ws.dispose();
  }
});

/** Feeds 3,000 events with wrong-typed fields to a parser; every result must be a record or a rejection of the input. */
function fuzzParser(read?: RecordReader): void {
  const rnd = prng(99);
  for (let i = 0; i < 3000; i++) {
    const v = JSON.stringify({ eventTime: WEIRD[i % WEIRD.length], run: WEIRD[(i * 7) % WEIRD.length], job: WEIRD[(i * 3) % WEIRD.length],
      eventType: WEIRD[(i * 5) % WEIRD.length], inputs: WEIRD[(i * 11) % WEIRD.length], inode_operation: rnd() < 0.1 ? WEIRD[i % WEIRD.length] : undefined });
    const r = read ? parseProvenanceLine(v, read) : parseProvenanceLine(v);
    if (r.ok) continue;
    assert.ok(!r.bug, `the parser threw on ${v}: ${r.reason}`);
    assert.match(r.reason, /^[A-Z].*\.$/s);
  }
}

test('the parser reads or rejects arbitrary values, and never throws', () => {
  fuzzParser();
});

test('a parser that throws is caught as a defect, not passed off as a rejected line', () => {
  // The same reader with one bug: it dereferences a field that may be missing.
  const crashing: RecordReader = (value) => {
    const run = value.run as { runId: string } | null;
    if (run !== null && typeof run !== 'object') return parseOpenLineage(value);
    return run!.runId.length > 0 ? parseOpenLineage(value) : parseOpenLineage(value);
  };
  assert.throws(() => fuzzParser(crashing), /the parser threw/);
  const r = parseProvenanceLine('{"eventType":"START","run":null}', crashing);
  assert.equal(r.ok, false);
  assert.ok(!r.ok && r.bug && /^Retrace could not read this event because of a defect in its parser \(.+\); please report it with this line\.$/.test(r.reason));
});

test('a line longer than the limit is rejected and skipped; the next line is read', () => {
  const ws = tempWorkspace();
  try {
    const file = path.join(ws.paths.logsDir, 'huge.jsonl');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, '{"x":"');
    const chunk = Buffer.alloc(8 * 1024 * 1024, 0x61);
    for (let n = 0; n <= MAX_LINE_BYTES; n += chunk.length) fs.writeSync(fd, chunk);
    fs.writeSync(fd, '"}\n' + JSON.stringify({ eventType: 'START', eventTime: '2026-01-01T00:00:00Z', run: { runId: 'r1' }, job: { name: 'j' } }) + '\n');
    fs.closeSync(fd);
    const r = ingestOnce({ paths: ws.paths, db: ws.db });
    assert.equal(r.events, 1);
    assert.deepEqual(r.rejected.map((x) => [x.line, x.reason]), [[1, 'The line is longer than 64 MiB, so it was skipped.']]);
  } finally {
    ws.dispose();
  }
});
