#!/usr/bin/env node
// The `retrace` command. Runs the built core (dist/main) when present; in a source checkout
// without a build it runs the TypeScript sources through tsx, so `retrace` always works.
import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist/main/entry-node.js');
if (fs.existsSync(built) && !process.env.RETRACE_FROM_SOURCE) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(root, 'src-main/entry-node.ts')).href);
}
