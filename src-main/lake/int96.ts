import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { microsToIso } from './delta-types';

/**
 * Legacy INT96 timestamps (Spark's old default) read through hyparquet: parquet-wasm turns them
 * into int64 nanoseconds, which overflows after 2262 (delta-rs `table_with_edge_timestamps`
 * holds 9999-12-31). hyparquet gives exact bigint nanoseconds when asked to.
 */
export async function readInt96Columns(file: string, columns: readonly string[], rowGroups?: readonly number[], window?: { offset: number; limit: number }): Promise<Map<string, unknown[]>> {
  const buffer = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buffer);
  const ranges: [number, number][] = [];
  let start = 0;
  metadata.row_groups.forEach((rg, i) => {
    const n = Number(rg.num_rows);
    if (!rowGroups || rowGroups.includes(i)) ranges.push([start, start + n]);
    start += n;
  });
  const out = new Map<string, unknown[]>(columns.map((c) => [c, []]));
  for (const [rowStart, rowEnd] of ranges) {
    const rows = await parquetReadObjects({
      file: buffer, metadata, columns: [...columns], rowStart, rowEnd, compressors,
      parsers: { timestampFromNanoseconds: (ns: bigint) => ns } as never,
    });
    for (const row of rows) {
      for (const c of columns) {
        const ns = row[c] as bigint | null | undefined;
        out.get(c)!.push(typeof ns === 'bigint' ? microsToIso(ns / 1000n - (ns % 1000n < 0n ? 1n : 0n), true) : null);
      }
    }
  }
  if (window) for (const [c, values] of out) out.set(c, values.slice(window.offset, window.offset + window.limit));
  return out;
}
