import type { BenchCase } from '../bench-case';
import apiRoundtrip from './api-roundtrip';
import capture from './capture';
import ingest from './ingest';
import lake from './lake';
import lineage from './lineage';
import ui from './ui';

/** Every `retrace bench` case, in run order. Capabilities add theirs here. */
export const BENCH_CASES: readonly BenchCase[] = [apiRoundtrip, ingest, lineage, lake, capture, ui];
