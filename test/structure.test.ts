/**
 * The project's structure, checked from the code's own imports (STYLE §25, issue 16):
 * no import cycle, capabilities layered one way, nothing loose at the src-main root, no barrel
 * or index.ts entry points, test-only code named `<topic>.test-support.ts`, and every source
 * file over 400 lines saying why.
 *
 * Type-only imports count as edges: a type cycle still ties two modules together (neither can
 * move or be understood alone), and it turns into a runtime cycle the moment one side imports
 * a value. Dynamic `import()` counts too: lazy loading changes when a module loads, not what
 * depends on what.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const ROOT = path.resolve(import.meta.dirname, '..');
const CODE_DIRS = ['src-main', 'shared', 'src-renderer', 'test', 'scripts', 'bin'];
const CODE_EXT = /\.(ts|tsx|mjs|js)$/;

/**
 * Cycles that other work in progress removes (the commit store's log and protocol modules, the
 * renderer store and its inspect slice). An entry that is no longer a cycle fails the test, so
 * the list only ever shrinks.
 */
const CYCLES_BEING_BROKEN_ELSEWHERE: readonly (readonly string[])[] = [];
/** Files in folders whose moves wait for work in progress there (same rule: the list only shrinks). */
const INDEX_FILES_PENDING: readonly string[] = [];
const TEST_HELPERS_PENDING = [
  'src-main/capture/interposer-test-util.ts',
  // Not a helper: the worker client of the commit store, which only its test uses so far.
  'src-main/lake/lake-client.ts',
];

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const rel = (abs: string): string => path.relative(ROOT, abs).split(path.sep).join('/');
const files = CODE_DIRS.flatMap((d) => walk(path.join(ROOT, d))).filter((f) => CODE_EXT.test(f)).map(rel).sort();
const fileSet = new Set(files);

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`, base.replace(/\.js$/, '.ts')]) {
    if (fileSet.has(candidate)) return candidate;
  }
  return null;
}

/** file → the repository files it imports (static, type-only, re-exports and dynamic imports). */
const imports = new Map<string, string[]>();
for (const f of files) {
  const info = ts.preProcessFile(fs.readFileSync(path.join(ROOT, f), 'utf8'), true, true);
  imports.set(f, [...new Set(info.importedFiles.map((r) => resolveImport(f, r.fileName)).filter((x): x is string => x !== null))]);
}

/** Strongly connected components with more than one member (or a self-import): the cycles. */
function cycles(nodes: readonly string[], edges: (n: string) => readonly string[]): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || edges(v).includes(v)) out.push(scc.sort());
    }
  };
  for (const n of nodes) if (!index.has(n)) visit(n);
  return out.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

const isTestCode = (f: string): boolean => /\.(test|spec)\.tsx?$/.test(f) || /\.test-support\.tsx?$/.test(f) || f.startsWith('test/fixtures/');

test('no import cycle between files (type-only and dynamic imports included)', () => {
  const found = cycles(files, (f) => imports.get(f) ?? []).map((c) => c.join(' <-> '));
  const allowed = CYCLES_BEING_BROKEN_ELSEWHERE.map((c) => [...c].sort().join(' <-> '));
  assert.deepEqual(found.filter((c) => !allowed.includes(c)), [], 'import cycles (break each by moving what both sides need into a third module, or by naming the needed shape locally)');
  assert.deepEqual(allowed.filter((c) => !found.includes(c)), [], 'no longer cycles: remove them from CYCLES_BEING_BROKEN_ELSEWHERE');
});

test('the capabilities under src-main/ depend on each other one way only', () => {
  const capability = (f: string): string | null => (f.startsWith('src-main/') ? f.split('/').length > 2 ? f.split('/')[1]! : 'entry' : null);
  const deps = new Map<string, Set<string>>();
  for (const f of files) {
    const from = capability(f);
    if (!from || isTestCode(f)) continue;
    for (const t of imports.get(f)!) {
      const to = capability(t);
      if (to && to !== from) (deps.get(from) ?? deps.set(from, new Set()).get(from)!).add(to);
    }
  }
  const caps = [...deps.keys()].sort();
  assert.deepEqual(cycles(caps, (c) => [...(deps.get(c) ?? [])]), [], 'capability folders that import each other');
});

test('lineage: the index engine never imports the read models or the synthetic generators', () => {
  const wrong = files
    .filter((f) => f.startsWith('src-main/lineage/index-engine/') && !isTestCode(f))
    .flatMap((f) => imports.get(f)!.filter((t) => /^src-main\/lineage\/(read-models|synthetic)\//.test(t)).map((t) => `${f} -> ${t}`));
  assert.deepEqual(wrong, []);
});

test('the src-main root holds only the two entry points', () => {
  const loose = fs.readdirSync(path.join(ROOT, 'src-main'), { withFileTypes: true }).filter((e) => !e.isDirectory()).map((e) => e.name).sort();
  assert.deepEqual(loose, ['entry-electron.ts', 'entry-node.ts']);
});

test('no barrels: no index.ts entry point and no re-export in src-main/ and shared/', () => {
  const indexFiles = files.filter((f) => /^(src-main|shared)\/(.*\/)?index\.tsx?$/.test(f));
  assert.deepEqual(indexFiles.filter((f) => !INDEX_FILES_PENDING.includes(f)), [], 'a folder has no entry point; import the module that defines what you use');
  assert.deepEqual(INDEX_FILES_PENDING.filter((f) => !indexFiles.includes(f)), [], 'renamed: remove from INDEX_FILES_PENDING');
  const reexports = files
    .filter((f) => /^(src-main|shared)\//.test(f) && !INDEX_FILES_PENDING.includes(f))
    .filter((f) => /^export (\*|(type )?\{[^}]*\}) from /m.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
  assert.deepEqual(reexports, [], 'files that re-export another module');
});

test('test-only code is named <topic>.test-support.ts, and production code never imports it', () => {
  const importers = new Map<string, string[]>();
  for (const [f, targets] of imports) for (const t of targets) (importers.get(t) ?? importers.set(t, []).get(t)!).push(f);
  const onlyTestsUse = files.filter((f) => {
    const by = importers.get(f) ?? [];
    return !isTestCode(f) && by.length > 0 && by.every(isTestCode);
  });
  assert.deepEqual(onlyTestsUse.filter((f) => !TEST_HELPERS_PENDING.includes(f)), [], 'only tests import these: name them <topic>.test-support.ts');
  assert.deepEqual(TEST_HELPERS_PENDING.filter((f) => !onlyTestsUse.includes(f)), [], 'renamed: remove from TEST_HELPERS_PENDING');
  const leaks = files.filter((f) => !isTestCode(f)).flatMap((f) => imports.get(f)!.filter((t) => /\.test-support\.tsx?$/.test(t)).map((t) => `${f} -> ${t}`));
  assert.deepEqual(leaks, [], 'production code importing test support');
});

test('every source file over 400 lines says why', () => {
  const sources = CODE_DIRS.flatMap((d) => walk(path.join(ROOT, d)))
    .filter((f) => /\.(ts|tsx|mjs|js|c|h|css)$/.test(f) && !f.includes(`${path.sep}fixtures${path.sep}`));
  const long = sources.filter((f) => {
    const text = fs.readFileSync(f, 'utf8');
    return text.split('\n').length > 400 && !/Over 400 lines because \S/.test(text);
  });
  assert.deepEqual(long.map(rel), [], 'split these, or say in a comment "Over 400 lines because …"');
});
