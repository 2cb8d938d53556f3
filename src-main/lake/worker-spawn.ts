import { Worker } from 'node:worker_threads';

/**
 * Starts one of the commit store's worker modules. Built: `dist/main/<name>.js`, beside the
 * bundle that holds this code (scripts/build.mjs emits it as its own entry). From source (tests
 * under tsx): a small bootstrap registers tsx inside the worker first, because Node 20 ignores
 * `--import` in a worker's execArgv.
 */
export function spawnLakeModule(name: string): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, import.meta.url));
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const entry = new URL(`./${name}.ts`, import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true });
}
