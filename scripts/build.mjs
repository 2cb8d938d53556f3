#!/usr/bin/env node
// Builds the renderer (Vite) and the main side (esbuild: Node ESM bundles with every package
// kept external, plus the sandboxed preload as one CommonJS file, which Electron requires).
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const t0 = Date.now();
await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });

// Flat output names: a worker must sit beside the bundle that starts it (`./lake-worker.js`).
const mainEntries = {
  'entry-node': 'src-main/entry-node.ts',
  'entry-electron': 'src-main/entry-electron.ts',
  'lake-worker': 'src-main/lake/lake-worker.ts',
  'parquet-worker': 'src-main/lake/parquet-worker.ts',
};
await esbuild({
  absWorkingDir: root,
  entryPoints: mainEntries,
  outdir: 'dist/main',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  // Bundled ESM has no `require`; some dependencies are CommonJS-only.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
await esbuild({
  absWorkingDir: root,
  entryPoints: ['src-main/electron/preload.ts'],
  outfile: 'dist/main/preload.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron'],
  logLevel: 'warning',
});
console.log(`built dist/ in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
