import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sha256Text } from './hashing';

/**
 * The `retrace_environment` run facet (DESIGN §3): who ran it, where, on what, with which
 * interpreter and packages. Python packages are read through the interpreter the command really
 * uses (its own `importlib.metadata`), because a venv, a pyenv shim or PYTHONPATH decides that,
 * not the Python Retrace might find first.
 */
export interface EnvironmentFacet {
  user: string;
  host: string;
  os: string;
  osRelease: string;
  arch: string;
  interpreter?: { name: string; version: string; executable: string; prefix?: string };
  packages: { name: string; version: string }[];
  lockfiles?: { path: string; hash: string }[];
  variables: { name: string; value: string }[];
}

/** Variables worth recording: they change what code does. Values of secret-like names are redacted. */
const ALLOWED_VARIABLE = /^(PATH|PYTHONPATH|PYTHONHOME|VIRTUAL_ENV|CONDA_PREFIX|CONDA_DEFAULT_ENV|LANG|LC_ALL|TZ|NODE_ENV|NODE_OPTIONS|CUDA_VISIBLE_DEVICES|OMP_NUM_THREADS|MKL_NUM_THREADS|PYTHONHASHSEED|SEED|RANDOM_SEED|HF_HOME|MLFLOW_.*|.*_(KEY|TOKEN|SECRET|PASSWORD)|AWS_.*|AZURE_.*|GOOGLE_.*|DATABRICKS_.*)$/;
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)/i;

export function selectVariables(env: NodeJS.ProcessEnv): { name: string; value: string }[] {
  return Object.keys(env)
    .filter((n) => ALLOWED_VARIABLE.test(n) && env[n] !== undefined)
    .sort()
    .map((name) => ({ name, value: SECRET_NAME.test(name) ? '<redacted>' : env[name]! }));
}

const PYTHON_PROBE = [
  'import sys, json, platform, os',
  'from importlib import metadata',
  'pk = {}',
  'for d in metadata.distributions():',
  '    n = d.metadata["Name"]',
  '    if n and n.lower() not in pk: pk[n.lower()] = {"name": n, "version": d.version}',
  'paths = [[p, str(os.stat(p).st_mtime_ns)] for p in sys.path if p and os.path.isdir(p)]',
  'print(json.dumps({"version": platform.python_version(), "executable": os.path.realpath(sys.executable), "prefix": sys.prefix, "basePrefix": sys.base_prefix, "packages": sorted(pk.values(), key=lambda p: p["name"].lower()), "paths": paths}))',
].join('\n');

export interface PythonProbe {
  version: string;
  executable: string;
  prefix: string;
  basePrefix: string;
  packages: { name: string; version: string }[];
  /** sys.path folders and their mtimes (ns): installing or removing a distribution changes one. */
  paths?: [string, string][];
}

/**
 * Remembered probes, so a run does not pay ~0.2 s of interpreter start and metadata scan when
 * nothing changed. An entry is keyed by the interpreter name and the variables that steer which
 * interpreter and paths are used, and is trusted only while every sys.path folder keeps its mtime
 * (captureRun also checks that the traced command really executed the remembered interpreter).
 */
export class PythonProbeCache {
  constructor(private readonly dir: string) {}

  private file(interpreter: string, env: NodeJS.ProcessEnv, cwd: string): string {
    const key = JSON.stringify([interpreter, cwd, env.PATH, env.PYTHONPATH, env.PYTHONHOME, env.VIRTUAL_ENV, env.CONDA_PREFIX, env.PYENV_VERSION]);
    return path.join(this.dir, `${crypto.createHash('sha1').update(key).digest('hex')}.json`);
  }

  get(interpreter: string, env: NodeJS.ProcessEnv, cwd: string): PythonProbe | null {
    let probe: PythonProbe;
    try {
      probe = JSON.parse(fs.readFileSync(this.file(interpreter, env, cwd), 'utf8')) as PythonProbe;
    } catch {
      return null;
    }
    if (!probe.paths) return null;
    for (const [dir, mtimeNs] of probe.paths) {
      try {
        if (fs.statSync(dir, { bigint: true }).mtimeNs.toString() !== mtimeNs) return null;
      } catch {
        return null;
      }
    }
    return probe;
  }

  set(interpreter: string, env: NodeJS.ProcessEnv, cwd: string, probe: PythonProbe): void {
    const file = this.file(interpreter, env, cwd);
    fs.mkdirSync(this.dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(probe));
    fs.renameSync(tmp, file);
  }
}

/** The Python command in argv: `python`, `python3.11`, `/venv/bin/python`, or `uv run python` style wrappers are not guessed. */
export function pythonFromArgv(argv: readonly string[]): string | null {
  const first = argv[0];
  if (!first) return null;
  return /^python(\d+(\.\d+)?)?$/.test(path.basename(first)) ? first : null;
}

/** Runs the probe through the very interpreter name the command used, with the command's env and cwd. */
export function probePython(interpreter: string, env: NodeJS.ProcessEnv, cwd: string): PythonProbe | null {
  const r = spawnSync(interpreter, ['-c', PYTHON_PROBE], { env, cwd, encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0 || !r.stdout) return null;
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as PythonProbe;
  } catch {
    return null;
  }
}

/** The same probe without blocking: it runs while the command runs (it reads, never writes). */
export function probePythonAsync(interpreter: string, env: NodeJS.ProcessEnv, cwd: string): Promise<PythonProbe | null> {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(interpreter, ['-c', PYTHON_PROBE], { env, cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('error', () => {
      clearTimeout(timer);
      resolve(null);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      try {
        resolve(code === 0 ? (JSON.parse(out.trim().split('\n').pop()!) as PythonProbe) : null);
      } catch {
        resolve(null);
      }
    });
  });
}

/** Adds what the interpreter probe found to an environment facet. */
export function withPython(facet: EnvironmentFacet, probe: PythonProbe | null): EnvironmentFacet {
  if (!probe) return facet;
  return { ...facet, interpreter: { name: 'python', version: probe.version, executable: probe.executable, prefix: probe.prefix }, packages: probe.packages };
}

const LOCKFILES = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'requirements.txt', 'poetry.lock', 'uv.lock', 'Pipfile.lock', 'environment.yml'];

/** Lockfiles in the workspace root; `hash` may answer from a cache (a lockfile rarely changes). */
export function lockfileHashes(dir: string, hash?: (abs: string) => string | null): { path: string; hash: string }[] {
  const out: { path: string; hash: string }[] = [];
  for (const name of LOCKFILES) {
    const abs = path.join(dir, name);
    if (hash) {
      const h = hash(abs);
      if (h) out.push({ path: name, hash: h });
      continue;
    }
    try {
      out.push({ path: name, hash: sha256Text(fs.readFileSync(abs)) });
    } catch {
      // absent
    }
  }
  return out;
}

/** Everything but the Python probe: cheap, so it goes into the START event. */
export function baseEnvironment(opts: { argv: readonly string[]; env: NodeJS.ProcessEnv; workspaceRoot: string; hash?: (abs: string) => string | null }): EnvironmentFacet {
  let user = opts.env.USER ?? opts.env.LOGNAME ?? '';
  try {
    user = os.userInfo().username || user;
  } catch {
    // no passwd entry (containers): keep $USER
  }
  const facet: EnvironmentFacet = {
    user,
    host: os.hostname(),
    os: os.platform(),
    osRelease: os.release(),
    arch: os.arch(),
    packages: [],
    variables: selectVariables(opts.env),
  };
  if (/^node(js)?$/.test(path.basename(opts.argv[0] ?? ''))) {
    facet.interpreter = { name: 'node', version: process.versions.node, executable: process.execPath };
  }
  const locks = lockfileHashes(opts.workspaceRoot, opts.hash);
  if (locks.length > 0) facet.lockfiles = locks;
  return facet;
}
