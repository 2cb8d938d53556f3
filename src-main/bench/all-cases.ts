import type { BenchCase } from './bench-case';
import apiRoundtrip from './cases/api-roundtrip';
import capture from './cases/capture';
import cli from './cases/cli';
import ingest from './cases/ingest';
import lake from './cases/lake';
import lineage from './cases/lineage';
import store from './cases/store';
import ui from './cases/ui';

/** Every `retrace bench` case, in run order. Capabilities add theirs here. */
export const BENCH_CASES: readonly BenchCase[] = [apiRoundtrip, ingest, lineage, lake, capture, store, ui, cli];
