import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { loadSnapshot } from './delta-log';
import { fileMayMatch, readAllRows } from './delta-scan';
import type { Row } from './delta-types';
import { duckRows, ext, range, rowsAt } from './lake.test-support';

// Nested types, column mapping, type widening, variant, decimals, timestamps and zones: the
// delta-io/delta golden tables, with expectations quoted from ../shared/testdata/external/README.md
// or derived from each table's generator (GoldenTables.scala), never from Retrace's own reads.

const b64 = (bytes: number[] | string): string => Buffer.from(bytes as never).toString('base64');
const byId = (rows: Row[], col: string): Row[] => [...rows].sort((a, b) => Number(a[col]) - Number(b[col]));

/** Row i of the column-mapping golden tables (README "Column mapping"), i in 0..4. */
function columnMappingRow(i: number): Row {
  return {
    ByteType: i, ShortType: i, IntegerType: i, LongType: i, FloatType: i, DoubleType: i, decimal: `${i}.00`,
    BooleanType: i % 2 === 0, StringType: String(i), BinaryType: b64(String(i)), DateType: '2021-11-18',
    TimestampType: new Date(i).toISOString(),
    nested_struct: { aa: String(i), ac: { aca: i } },
    array_of_prims: [i, i + 1],
    array_of_arrays: [[i, i + 1], [i + 2, i + 3]],
    array_of_map_of_arrays: [{ [i]: [2, 3], [i + 1]: [4, 5] }],
    array_of_structs: [{ ab: i }, { ab: i }],
    // A map whose key is an array: the key is shown as its JSON text.
    struct_of_arrays_maps_of_structs: { aa: [i, i + 1], ab: { [JSON.stringify([i, i + 1])]: { aca: i + 2 } } },
    map_of_prims: { [i]: i + 1, [i + 2]: i + 3 },
    map_of_rows: { [i + 1]: { ab: i * 20 } },
    map_of_arrays: { [i]: [i, null, i + 1], [i + 1]: [] },
    map_of_maps: { [i]: { [i]: i }, [i + 1]: { [i + 2]: i } },
  };
}

async function assertColumnMappingTable(rel: string, mode: 'name' | 'id'): Promise<void> {
  const dir = ext(rel);
  const snap = await loadSnapshot(dir);
  assert.equal(snap.columnMapping, mode);
  const rows = await readAllRows(snap);
  assert.equal(rows.length, 6);
  const nullRow = rows.find((r) => r.ByteType === null)!;
  assert.ok(Object.values(nullRow).every((v) => v === null), JSON.stringify(nullRow));
  assert.deepEqual(byId(rows.filter((r) => r !== nullRow), 'ByteType'), range(0, 5).map(columnMappingRow));
  // "read subset of columns": logical names in, logical names out.
  const subset = await readAllRows(snap, { columns: ['ByteType', 'decimal', 'nested_struct', 'array_of_prims', 'map_of_prims'] });
  const pick = (r: Row): Row => ({ ByteType: r.ByteType, decimal: r.decimal, nested_struct: r.nested_struct, array_of_prims: r.array_of_prims, map_of_prims: r.map_of_prims });
  assert.deepEqual(byId(subset.filter((r) => r.ByteType !== null), 'ByteType'), range(0, 5).map((i) => pick(columnMappingRow(i))));
}

test('delta/table-with-columnmapping-mode-name: 22 columns of every type under logical names', async () => {
  await assertColumnMappingTable('delta/table-with-columnmapping-mode-name', 'name');
});

test('delta/table-with-icebegCompatV2Enabled: column mapping by field id, same rows', async () => {
  await assertColumnMappingTable('delta/table-with-icebegCompatV2Enabled', 'id');
});

test('delta/dv-with-columnmapping: 35 rows after 15 DV deletes; part = 0 gives 2 rows', async () => {
  const dir = ext('delta/dv-with-columnmapping');
  const expected = range(0, 50).filter((x) => !(x % 2 === 0 && x < 30)).map((x) => `${x % 10}|${x}|foo${x % 5}`).sort();
  assert.deepEqual((await rowsAt(dir)).map((r) => `${r.part}|${r.col1}|${r.col2}`).sort(), expected);
  const snap = await loadSnapshot(dir);
  assert.deepEqual((await readAllRows(snap, { where: [{ column: 'part', value: 0 }] })).map((r) => r.col1).sort(), [30, 40]);
});

const A = '2021-11-18T02:30:00.123456', B = '2013-07-05T17:01:00.123456';
const NTZ_ROWS = [[0, A, A], [1, B, A], [2, null, A], [3, A, B], [4, B, B], [5, null, B], [6, A, null], [7, B, null], [8, null, null]];

for (const mode of ['name', 'id'] as const) {
  test(`delta/data-reader-timestamp_ntz-${mode}-mode: 9 rows, partition column included`, async () => {
    const rows = byId(await rowsAt(ext(`delta/data-reader-timestamp_ntz-${mode}-mode`)), 'id');
    assert.deepEqual(rows.map((r) => [r.id, r.tsNtz, r.tsNtzPartition]), NTZ_ROWS);
  });
}

const STATS_ZERO: Record<string, unknown> = { as_int: 0, as_long: 0, as_byte: 0, as_short: 0, as_float: 0, as_double: 0, as_string: '0', as_date: '2000-01-01', as_timestamp: '2000-01-01T00:00:00.000-08:00', as_big_decimal: '0' };
const STATS_ONE: Record<string, unknown> = { as_int: 1, as_long: 1, as_byte: 1, as_short: 1, as_float: 1, as_double: 1, as_string: '1', as_date: '2000-01-02', as_timestamp: '2000-01-01T00:00:01.000-08:00', as_big_decimal: '1' };

for (const suffix of ['checkpoint', 'columnmapping-name', 'columnmapping-id']) {
  test(`delta/data-skipping-basic-stats-all-types-${suffix}: predicates on 0 hit, on 1 miss`, async () => {
    const snap = await loadSnapshot(ext(`delta/data-skipping-basic-stats-all-types-${suffix}`));
    const hits = (col: string, value: unknown): number => snap.files.filter((f) => fileMayMatch(snap, f, [{ column: col, value }])).length;
    for (const col of Object.keys(STATS_ZERO)) {
      assert.equal(hits(col, STATS_ZERO[col]), 1, `${col} = 0 must hit`);
      assert.equal(hits(col, STATS_ONE[col]), 0, `${col} = 1 must miss`);
    }
    // ReadIntegrationTestSuite: as_int = 1 → 0 rows (and = 0 → the one row).
    assert.equal((await readAllRows(snap, { where: [{ column: 'as_int', value: 1 }] })).length, 0);
    assert.equal((await readAllRows(snap, { where: [{ column: 'as_int', value: 0 }] })).length, 1);
  });
}

test('delta/data-reader-array-primitives: one-element arrays of every primitive, decimal elements as decimals', async () => {
  const rows = byId(await rowsAt(ext('delta/data-reader-array-primitives')), 'as_array_int');
  assert.deepEqual(rows, range(0, 10).map((i) => ({
    as_array_int: [i], as_array_long: [i], as_array_byte: [i], as_array_short: [i], as_array_boolean: [i % 2 === 0],
    as_array_float: [i], as_array_double: [i], as_array_string: [String(i)], as_array_binary: [b64([i, i])],
    as_array_big_decimal: [String(i)],
  })));
});

test('delta/data-reader-array-complex-objects: 3- and 4-level lists, lists of maps and of structs', async () => {
  const rows = byId(await rowsAt(ext('delta/data-reader-array-complex-objects')), 'i');
  assert.deepEqual(rows, range(0, 10).map((i) => {
    const cube = [[[i, i, i], [i, i, i]], [[i, i, i], [i, i, i]]];
    return { i, '3d_int_list': cube, '4d_int_list': [cube, cube], list_of_maps: [{ [i]: i }, { [i]: i }], list_of_records: [{ val: i }, { val: i }, { val: i }] };
  }));
});

test('delta/data-reader-nullable-field-invalid-schema-key: one row holding an array of three nulls', async () => {
  assert.deepEqual(await rowsAt(ext('delta/data-reader-nullable-field-invalid-schema-key')), [{ array_can_contain_null: [null, null, null] }]);
});

test('delta/data-reader-partition-values: typed partition values, nested data columns, a null-partition row', async () => {
  const rows = await rowsAt(ext('delta/data-reader-partition-values'));
  const row = (i: number): Row => ({
    as_int: i, as_long: i, as_byte: i, as_short: i, as_boolean: i % 2 === 0, as_float: i, as_double: i, as_string: String(i),
    as_string_lit_null: 'null', as_date: '2021-09-08', as_timestamp: '2021-09-08T11:11:11.000Z', as_big_decimal: String(i),
    as_list_of_records: [{ val: i }, { val: i }, { val: i }], as_nested_struct: { aa: String(i), ab: String(i), ac: { aca: i, acb: i } }, value: String(i),
  });
  const nulls: Row = {
    as_int: null, as_long: null, as_byte: null, as_short: null, as_boolean: null, as_float: null, as_double: null, as_string: null,
    as_string_lit_null: null, as_date: null, as_timestamp: null, as_big_decimal: null,
    as_list_of_records: [{ val: 2 }, { val: 2 }, { val: 2 }], as_nested_struct: { aa: '2', ab: '2', ac: { aca: 2, acb: 2 } }, value: '2',
  };
  assert.deepEqual([...rows].sort((a, b) => String(a.value).localeCompare(String(b.value))), [row(0), row(1), nulls]);
});

/** Row i of `parquet-all-types` (generator `generateAllTypesTable`). */
function allTypesRow(i: number): Row {
  const nn = (m: number, v: unknown): unknown => (i % m !== 0 ? v : null);
  return {
    // i.byteValue() wraps above 127, as a Java byte does.
    ByteType: nn(72, (i << 24) >> 24), ShortType: nn(56, i), IntegerType: nn(23, i), LongType: nn(25, i + 1),
    FloatType: nn(28, Math.fround(i * 0.234)), DoubleType: nn(54, i * 234234.23),
    // new BigDecimal(i * 123.52) stored as decimal(10,2): the double, rounded half-up to 2 places.
    decimal: nn(67, (i * 123.52).toFixed(2)), BooleanType: nn(87, i % 2 === 0), StringType: nn(57, String(i)),
    BinaryType: nn(59, b64(String(i))), DateType: nn(61, new Date(Math.floor((i * 20_000_000) / 86_400_000) * 86_400_000).toISOString().slice(0, 10)),
    TimestampType: nn(62, new Date(i * 23_423_523).toISOString()),
    // LocalDateTime.ofEpochSecond(i * 234234, 200012 ns): microseconds keep .000200.
    TimestampNTZType: nn(69, `${new Date(i * 234_234_000).toISOString().slice(0, 19)}.000200`),
    nested_struct: i % 63 === 0 ? null : i % 19 === 0 ? { aa: null, ac: null } : { aa: String(i), ac: i % 23 !== 0 ? { aca: i } : null },
    // The committed file holds these six columns as null in all 200 rows (its column chunks'
    // null counts say 200; DuckDB and hyparquet read them so too), whatever the generator meant.
    array_of_prims: null, array_of_arrays: null, array_of_structs: null, map_of_prims: null, map_of_rows: null, map_of_arrays: null,
  };
}

for (const t of ['parquet-all-types', 'parquet-all-types-legacy-format']) {
  test(`delta/${t}: 200 rows of every type, nulls by column`, async () => {
    const rows = await rowsAt(ext(`delta/${t}`));
    assert.equal(rows.length, 200);
    for (let i = 0; i < 200; i++) assert.deepEqual(rows[i], allTypesRow(i), `row ${i}`);
  });
}

test('delta/type-widening-nested: integer leaves widened to long in a struct, a map and an array', async () => {
  const dir = ext('delta/type-widening-nested');
  const MAX = '9223372036854775807', MIN = '-9223372036854775808';
  const rows = (await rowsAt(dir)).sort((a, b) => String((a.struct as Row).a).length - String((b.struct as Row).a).length);
  assert.deepEqual(rows, [
    { struct: { a: 1 }, map: { 2: 3 }, array: [4, 5] },
    { struct: { a: MAX }, map: { [MAX]: MAX }, array: [MAX, MIN] },
  ]);
  // At version 0 the schema is the int one: one row.
  assert.deepEqual(await rowsAt(dir, 0), [{ struct: { a: 1 }, map: { 2: 3 }, array: [4, 5] }]);
});

test('delta/spark-variant-checkpoint: variants read as the JSON they hold, at every nesting', async () => {
  const rows = byId(await rowsAt(ext('delta/spark-variant-checkpoint')), 'id');
  assert.equal(rows.length, 102);
  assert.deepEqual(rows.slice(0, 3).map((r) => r.id), [0, 0, 1]);
  for (const r of rows) {
    const v = { key: r.id };
    assert.deepEqual(r, {
      id: r.id, v,
      array_of_variants: [v, null, v, null, v],
      struct_of_variants: { v },
      map_of_variants: { [String(r.id)]: v, nullKey: null },
      array_of_struct_of_variants: [{ v }, { v: null }, null, { v }, null, { v }],
      struct_of_array_of_variants: { v: [null, v] },
    });
  }
  const snap = await loadSnapshot(ext('delta/spark-variant-checkpoint'));
  assert.equal(snap.version, 2);
});

for (const t of ['collations-table', 'collations-preview-table']) {
  test(`delta/${t}: writer-only collations feature, schema read, no rows`, async () => {
    const snap = await loadSnapshot(ext(`delta/${t}`));
    assert.deepEqual(snap.schema.fields.map((f) => f.name), ['id', 'utf8_binary_col', 'utf8_lcase_col', 'unicode_col']);
    assert.deepEqual(await readAllRows(snap), []);
  });
}

test('delta/124-decimal-decode-bug: decimal(10,0) reads 1000000', async () => {
  assert.deepEqual(await rowsAt(ext('delta/124-decimal-decode-bug')), [{ large_decimal: '1000000' }]);
});

const DECIMAL_ROWS = [
  ['234.00000', '1.00', '2.00000', '3.0000000000'],
  ['2342222.23454', '111.11', '22222.22222', '3333333333.3333333333'],
  ['0.00004', '0.00', '0.00000', '0.0000000000'],
  ['-2342342.23423', '-999.99', '-99999.99999', '-9999999999.9999999999'],
];

for (const t of ['basic-decimal-table', 'basic-decimal-table-legacy']) {
  test(`delta/${t}: decimals stored as INT32, INT64 and fixed bytes; partition filter`, async () => {
    const dir = ext(`delta/${t}`);
    const rows = (await rowsAt(dir)).map((r) => [r.part, r.col1, r.col2, r.col3]);
    assert.deepEqual(rows.sort(), [...DECIMAL_ROWS].sort());
    const snap = await loadSnapshot(dir);
    assert.equal((await readAllRows(snap, { where: [{ column: 'part', value: '2342222.23454' }] })).length, 1);
  });
}

test('delta/decimal-various-scale-precision: 29 decimal columns, precision 4 to 38, agree with DuckDB', async () => {
  const dir = ext('delta/decimal-various-scale-precision');
  const snap = await loadSnapshot(dir);
  const rows = await readAllRows(snap);
  const cols = snap.schema.fields.map((f) => f.name);
  assert.equal(cols.length, 29);
  // README: decimal_4_0 = null, 4, −13; decimal_18_6 = null, 7998.000000, −22641.000000.
  assert.deepEqual(rows.map((r) => r.decimal_4_0), [null, '4', '-13']);
  assert.deepEqual(rows.map((r) => r.decimal_18_6), [null, '7998.000000', '-22641.000000']);
  // Every other column against an independent reader of the same file.
  const file = `${dir}/${snap.files[0]!.path}`;
  const duck = await duckRows(`SELECT ${cols.map((c) => `CAST(${c} AS VARCHAR) AS ${c}`).join(', ')} FROM read_parquet('${file}')`);
  assert.deepEqual(rows, duck);
});

test('delta/parquet-decimal-dictionaries-v2 and parquet-decimal-dictionaries: 1M dictionary-encoded decimals', async () => {
  for (const t of ['parquet-decimal-dictionaries-v2', 'parquet-decimal-dictionaries']) {
    const rows = await rowsAt(ext(`delta/${t}`));
    assert.equal(rows.length, 1_000_000, t);
    for (const r of rows) {
      const i = r.id as number;
      if (r.col1 !== String(i % 5) || r.col2 !== String(i % 6) || r.col3 !== String(i % 2)) assert.fail(`${t} row ${JSON.stringify(r)}`);
    }
  }
});

test('delta/parquet-decimal-type: 99,998 rows of decimal(5,1), (10,5), (20,5)', async () => {
  const rows = await rowsAt(ext('delta/parquet-decimal-type'));
  assert.equal(rows.length, 99_998);
  // Unscaled integers: expand(x) = x·10^5 + x, moved left 5 places; n moved left 1 place.
  const fmt = (unscaled: bigint, scale: number): string => {
    const neg = unscaled < 0n, s = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
    return `${neg ? '-' : ''}${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`;
  };
  const e = (x: bigint): bigint => x * 100_000n + x;
  for (const r of rows) {
    const i = r.id as number;
    const n = BigInt(i % 85 !== 0 && i % 33 === 0 ? -i : i);
    const expected = i % 85 === 0
      ? [fmt(n, 1), fmt(n * 100_000n, 5), fmt(n * 100_000n, 5)]
      : [fmt(n, 1), fmt(e(n), 5), fmt(e(e(e(n))), 5)];
    if (JSON.stringify([r.col1, r.col2, r.col3]) !== JSON.stringify(expected)) assert.fail(`row ${i}: ${JSON.stringify(r)} ≠ ${JSON.stringify(expected)}`);
  }
});

const TS_UTC = [
  [0, '2020-01-01T08:09:10.001Z', '2020-02-01T08:09:10.000Z'], [1, '2021-10-01T08:09:20.000Z', '1999-01-01T09:00:00.000Z'],
  [2, '2021-10-01T08:09:20.000Z', '2000-01-01T09:00:00.000Z'], [3, '1969-01-01T00:00:00.000Z', '1969-01-01T00:00:00.000Z'], [4, null, null],
];

/** Reads a table once per session time zone: values are instants, so the zone must not matter. */
async function inEveryZone(dir: string): Promise<unknown[][]> {
  const saved = process.env.TZ;
  const results: string[] = [];
  try {
    for (const tz of ['UTC', 'Atlantic/Reykjavik', 'America/Los_Angeles', 'Asia/Tokyo']) {
      process.env.TZ = tz;
      results.push(JSON.stringify(byId(await rowsAt(dir), 'id').map((r) => [r.id, r.part, r.time])));
    }
  } finally {
    if (saved === undefined) delete process.env.TZ; else process.env.TZ = saved;
  }
  assert.equal(new Set(results).size, 1, 'the same answer in every session zone');
  return JSON.parse(results[0]!) as unknown[][];
}

for (const format of ['TIMESTAMP_MICROS', 'TIMESTAMP_MILLIS', 'INT96']) {
  test(`delta/kernel-timestamp-${format}: written in UTC, read the same in any session zone`, async () => {
    assert.deepEqual(await inEveryZone(ext(`delta/kernel-timestamp-${format}`)), TS_UTC);
  });
}

test('delta/kernel-timestamp-PST: written in PST; partition strings read as UTC, data 8 hours later', async () => {
  const later = ['2020-02-01T16:09:10.000Z', '1999-01-01T17:00:00.000Z', '2000-01-01T17:00:00.000Z', '1969-01-01T08:00:00.000Z', null];
  assert.deepEqual(await inEveryZone(ext('delta/kernel-timestamp-PST')), TS_UTC.map((r, i) => [r[0], r[1], later[i]]));
});

test('delta/kernel-timestamp-partition-col-ISO8601: ISO-8601 partition values, and pruning on them', async () => {
  const dir = ext('delta/kernel-timestamp-partition-col-ISO8601');
  const rows = (await rowsAt(dir)).sort((a, b) => String(a.str).localeCompare(String(b.str)));
  assert.deepEqual(rows, [{ str: '2024-01-01 10:00:00', ts: '2024-01-01T10:00:00.000Z' }, { str: '2024-01-02 12:30:00', ts: '2024-01-02T12:30:00.000Z' }]);
  const snap = await loadSnapshot(dir);
  const where = [{ column: 'ts', value: '2024-01-01T10:00:00Z' }];
  assert.equal(snap.files.filter((f) => fileMayMatch(snap, f, where)).length, 1);
  assert.deepEqual(await readAllRows(snap, { where }), [rows[0]]);
});

const DATE_ZONES: Record<string, string> = {
  UTC: '2020-01-01T08:09:10.000Z', Iceland: '2020-01-01T08:09:10.000Z', PST: '2020-01-01T16:09:10.000Z',
  'America/Los_Angeles': '2020-01-01T16:09:10.000Z', 'Etc/GMT+9': '2020-01-01T17:09:10.000Z',
  'Asia/Beirut': '2020-01-01T06:09:10.000Z', JST: '2019-12-31T23:09:10.000Z',
};

for (const [zone, instant] of Object.entries(DATE_ZONES)) {
  test(`delta/data-reader-date-types-${zone}: local 08:09:10 written in ${zone} is ${instant}; the date stays 2020-01-01`, async () => {
    const dir = ext(`delta/data-reader-date-types-${zone}`);
    assert.ok(fs.existsSync(dir), dir);
    assert.deepEqual(await rowsAt(dir), [{ timestamp: instant, date: '2020-01-01' }]);
  });
}
