import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');
export const RETRACE_BIN = path.join(REPO_ROOT, 'bin/retrace.mjs');

/**
 * How the tests run `retrace`: from the built dist/ only when this test run built it
 * (scripts/test.mjs says so); otherwise from the sources, because bin/retrace.mjs prefers a
 * dist/ that may be older than the code under test.
 */
export function cliEnv(): NodeJS.ProcessEnv {
  return process.env.RETRACE_TEST_DIST_FRESH === '1' ? { RETRACE_NO_BROWSER: '1' } : { RETRACE_NO_BROWSER: '1', RETRACE_FROM_SOURCE: '1' };
}

/**
 * Root may write any file, so a test of read-only files runs the command as root without the
 * capabilities that override file modes (`setpriv`, util-linux). Running it as another user
 * instead fails whenever the checkout sits under a folder only root may enter (`mktemp -d`).
 */
const WITHOUT_ROOT_OVERRIDE = ['--inh-caps=-dac_override,-dac_read_search', '--bounding-set=-dac_override,-dac_read_search'];

/** Runs the real `retrace` command and collects its output. */
export function retrace(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; obeyFileModes?: boolean } = {}) {
  const asRoot = opts.obeyFileModes === true && process.getuid?.() === 0;
  const argv = [RETRACE_BIN, ...args];
  const r = spawnSync(asRoot ? 'setpriv' : process.execPath, asRoot ? [...WITHOUT_ROOT_OVERRIDE, process.execPath, ...argv] : argv, {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { ...process.env, ...cliEnv(), ...opts.env },
    encoding: 'utf8',
    input: opts.input ?? '',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `retrace serve` (or open) and resolves with the URL from its READY line. */
export function startRetraceServer(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ url: string; child: ChildProcess; stderr: () => string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [RETRACE_BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...cliEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`retrace ${args.join(' ')} printed no READY line in 30 s; stderr: ${err}`)), 30_000);
    child.on('exit', (code) => reject(new Error(`retrace ${args.join(' ')} exited ${code} before READY; stderr: ${err}`)));
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /^READY (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1]!,
          child,
          stderr: () => err,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
  });
}
