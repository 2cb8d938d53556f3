import path from 'node:path';
import type { ArgDiffDto } from '../../shared/version-diff-dto';
import type { RunIo } from '../repro/run-io';

/**
 * Parameter differences between two runs of a stage, from their argv. An argument that names
 * data the run read or wrote (a path, or the folder of one) or the version of a table it read
 * (`training_set.py 4` reads the table at version 4) is not a parameter: on both sides at the
 * same position, the difference is the data's, and the inputs section shows it. What is left
 * — `--lr 0.01` against `--lr 0.02`, a day number — is a parameter difference.
 */
type Role = { kind: 'data' } | { kind: 'table-version'; table: string } | null;

export function argDiffs(a: RunIo, b: RunIo): ArgDiffDto[] {
  const av = a.argv ?? [];
  const bv = b.argv ?? [];
  const out: ArgDiffDto[] = [];
  for (let i = 0; i < Math.max(av.length, bv.length); i++) {
    const x = av[i] ?? null;
    const y = bv[i] ?? null;
    if (x === y) continue;
    if (x !== null && y !== null) {
      const rx = roleOf(x, a);
      const ry = roleOf(y, b);
      if (rx && ry && rx.kind === ry.kind && (rx.kind === 'data' || (ry.kind === 'table-version' && rx.table === ry.table))) continue;
    }
    out.push({ position: i, a: x, b: y });
  }
  return out;
}

function roleOf(arg: string, run: RunIo): Role {
  const entries = [...run.reads.values(), ...run.writes.values()];
  if (/^\d+$/.test(arg)) {
    const t = [...run.reads.values()].find((e) => e.versionKind === 'dataset_version' && e.version === arg);
    return t ? { kind: 'table-version', table: t.label } : null;
  }
  const rel = path.posix.normalize(path.posix.join(run.cwd && run.cwd !== '.' ? run.cwd : '', arg.replace(/^\.\//, ''))).replace(/\/$/, '');
  for (const e of entries) {
    const p = e.path ?? e.label;
    if (p === rel || p === arg || p.startsWith(rel + '/') || p.startsWith(arg.replace(/\/$/, '') + '/')) return { kind: 'data' };
  }
  return null;
}
