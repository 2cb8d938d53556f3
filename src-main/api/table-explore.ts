/**
 * The explorer's table questions (issue 13 §8) as API answers: history with row counts, the diff
 * of two chosen versions (rows added, removed, changed with the changed cells named), "value of
 * key K as of time T" and "rows changed between T1 and T2" — each time-travel answer with the
 * `retrace table …` command that asks the same, for copying.
 */
import { AppError } from '../../shared/errors';
import type { TableChangesDto, TableCommitDto, TableDiffDto, TableValueAsOfDto } from '../../shared/table-dto';
import { readChanges } from '../lake/changes';
import { tableHistory } from '../lake/table-api';
import { changesBetweenTimes, netRowChanges, rowCountsByVersion, tableKeyColumns, valueAsOf } from '../lake/table-queries';
import { shellQuote } from '../repro/rerun';
import { toCells } from './cells';
import { requestTime } from './request-time';

/** A table behind an artifact: its folder, its label, and its path as typed in the workspace folder. */
export interface TableRef {
  readonly dir: string;
  readonly label: string;
  readonly rel: string;
}

export async function historyWithRowCounts(t: TableRef): Promise<TableCommitDto[]> {
  const counts = await rowCountsByVersion(t.dir);
  return tableHistory(t.dir).map((c) => ({ ...c, rowCount: counts.get(c.version) ?? null }));
}

/** The change feed after `from` up to `to`, and the net row difference of `to` against `from`. */
export async function versionDiff(t: TableRef, req: { from: number; to: number; limit?: number; offset?: number; key?: string[] }): Promise<TableDiffDto> {
  const limit = req.limit ?? 1000, offset = req.offset ?? 0;
  const key = req.key ?? (await tableKeyColumns(t.dir));
  if (req.to <= req.from) {
    return { fromVersion: req.from, toVersion: req.to, counts: { inserted: 0, updated: 0, deleted: 0 }, changes: [], truncated: false, key, rows: [], rowCounts: { added: 0, removed: 0, changed: 0 } };
  }
  const all = await readChanges(t.dir, req.from + 1, req.to, key.length ? { keyColumns: key } : {});
  const count = (type: string) => all.filter((c) => c._change_type === type).length;
  const net = netRowChanges(all, key);
  const cells = (r: Record<string, unknown> | null) => (r === null ? null : toCells(r));
  return {
    fromVersion: req.from, toVersion: req.to,
    counts: { inserted: count('insert'), updated: count('update_postimage'), deleted: count('delete') },
    changes: all.slice(0, limit).map(toCells), truncated: all.length > limit,
    key,
    rows: net.slice(offset, offset + limit).map((r) => ({ change: r.change, key: cells(r.key), before: cells(r.before), after: cells(r.after), changedColumns: r.changedColumns })),
    rowCounts: { added: net.filter((r) => r.change === 'added').length, removed: net.filter((r) => r.change === 'removed').length, changed: net.filter((r) => r.change === 'changed').length },
  };
}

export async function tableValueAsOf(t: TableRef, req: { key: string; keyColumn?: string; asOf: string }): Promise<TableValueAsOfDto> {
  const asOfMs = requestTime(req.asOf, 'asOf')!;
  let keyColumn = req.keyColumn;
  if (keyColumn === undefined) {
    const key = await tableKeyColumns(t.dir);
    if (key.length !== 1) {
      throw new AppError('INVALID_ARGUMENT', key.length === 0
        ? `${t.label} records no key column; say which column the key is in (keyColumn).`
        : `${t.label} has a composite key (${key.join(', ')}); say which column the key is in (keyColumn).`);
    }
    keyColumn = key[0]!;
  }
  const a = await valueAsOf(t.dir, keyColumn, req.key, asOfMs);
  const asOf = new Date(asOfMs).toISOString();
  return {
    table: t.label, keyColumn, key: req.key, asOf, version: a.version, commit: a.commit,
    row: a.rows.length ? toCells(a.rows[0]!) : null, matches: a.rows.length,
    note: a.beforeFirstCommit ? `${asOf} is before the table's first commit (${a.commit.timestamp}); this is the first version's answer.` : null,
    command: ['retrace', 'table', 'read', t.rel, '--as-of', asOf, '--where', `${keyColumn}=${req.key}`].map(shellQuote).join(' '),
  };
}

export async function tableChangesBetween(t: TableRef, req: { fromTime: string; toTime: string; offset?: number; limit?: number }): Promise<TableChangesDto> {
  const from = requestTime(req.fromTime, 'fromTime')!, to = requestTime(req.toTime, 'toTime')!;
  const key = await tableKeyColumns(t.dir);
  const r = await changesBetweenTimes(t.dir, from, to, key);
  const offset = req.offset ?? 0, limit = req.limit ?? 1000;
  const count = (type: string) => r.changes.filter((c) => c._change_type === type).length;
  const fromTime = new Date(from).toISOString(), toTime = new Date(to).toISOString();
  return {
    table: t.label, fromTime, toTime, fromVersion: r.fromVersion, toVersion: r.toVersion,
    counts: { inserted: count('insert'), updated: count('update_postimage'), deleted: count('delete') },
    rows: r.changes.slice(offset, offset + limit).map(toCells), total: r.changes.length, offset,
    command: ['retrace', 'table', 'changes', t.rel, '--from-time', fromTime, '--to-time', toTime, ...(key.length ? ['--key', key.join(',')] : [])].map(shellQuote).join(' '),
  };
}
