/**
 * Provenance ingestion (issue 3): tail OpenLineage and Hopsworks-style logs into the metadata
 * DB, exactly once, live. What the API, the HTTP server and the CLI use from here.
 */
export { ingestOnce, type IngestOnceOptions, type IngestReport } from './ingest';
export { startTailer, type TailerOptions } from './tailer';
export { appendLineageEvent } from './http-intake';
export { provenanceCounts, listRejected, type ProvenanceCounts, type RejectedLineDto, type RejectedPage } from './queries';
export { parseProvenanceLine, parseProvenanceValue } from './parse-line';
export type { ProvenanceRecord, ParseResult, WarningKind } from './records';
