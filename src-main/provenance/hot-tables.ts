/**
 * The tables an ingest batch writes most rows to, declared once: their INSERTs, batch buffers
 * and writers derive from these (db/row-writer.ts). A column added to a table here, in the
 * schema (db/metadata-schema.ts) and at the one place that fills it keeps every row aligned;
 * hot-tables.test.ts checks the declarations against the schema and round-trips every column.
 */
import { declareTable } from '../db/row-writer';

export const EVENTS = declareTable('events', {
  seq: 'int', source_id: 'int', line: 'int', byte_offset: 'int', hash: 'text', kind: 'text', event_type: 'text?', event_time: 'int', run_id: 'int?',
}, { bulk: true });

export const ACCESSES = declareTable('accesses', {
  id: 'int', run_id: 'int?', artifact_id: 'int', version_id: 'int', op: 'text', raw_op: 'text', origin: 'text', at: 'int?', seq: 'int', renamed_from_id: 'int?',
}, { bulk: true });

export const VERSIONS = declareTable('artifact_versions', {
  id: 'int', artifact_id: 'int', version: 'text', version_kind: 'text', size: 'int?', row_count: 'int?', producing_run_id: 'int?', created_at: 'int?', seq: 'int',
});

export const RUNS = declareTable('runs', {
  id: 'int', run_uuid: 'text', origin: 'text', job_id: 'int?', state: 'text', started_at: 'int?', ended_at: 'int?', last_event_at: 'int',
  user: 'text?', host: 'text?', parent_run_uuid: 'text?', command: 'text?', cwd: 'text?', exit_code: 'int?', error_message: 'text?',
  code_version_id: 'int?', environment_id: 'int?', facets: 'text', first_seq: 'int', last_seq: 'int', end_seq: 'int?',
});

export const ARTIFACTS = declareTable('artifacts', {
  id: 'int', namespace: 'text', name: 'text', path: 'text?', kind: 'text', tags: 'text', rollup_id: 'int?', current_version_id: 'int?', facets: 'text', first_seq: 'int',
});

export const CODE_VERSIONS = declareTable('code_versions', {
  id: 'int', hash: 'text', git_sha: 'text?', repo_url: 'text?', url: 'text?', path: 'text?', branch: 'text?', dirty_diff_hash: 'text?', files: 'text',
});

export const RUN_ENDINGS = declareTable('run_endings', {
  seq: 'int', run_id: 'int', state: 'text', at: 'int', event_seq: 'int',
}, { bulk: true });

/** The contentless FTS5 index: `doc` is its rowid (entity id × 4 + kind code: 1 run, 2 artifact, 3 job). */
export const SEARCH_DOCS = declareTable('prov_search', {
  doc: 'int', name: 'text', path: 'text', job: 'text', command: 'text', user: 'text', tags: 'text', facets: 'text',
}, { insertNames: ['rowid', 'name', 'path', 'job', 'command', 'user', 'tags', 'facets'] });

/**
 * A `schema` or `columnLineage` facet body (column-facets.ts), stored once however many events
 * carry it; `refs`: a lineage body's datasets (its `d` list), readable without parsing the body.
 */
export const COLUMN_TEXTS = declareTable('column_texts', {
  id: 'int', hash: 'text', body: 'text', refs: 'text?',
}, { bulk: true });

/** One dataset of one event that carried a schema or column-lineage facet new for its run (ids of column_texts). */
export const COLUMN_FACETS = declareTable('column_facets', {
  id: 'int', run_id: 'int', artifact_id: 'int', role: 'text', seq: 'int', schema_id: 'int?', lineage_id: 'int?',
}, { bulk: true });

export const HOT_TABLES = [EVENTS, ACCESSES, VERSIONS, RUNS, ARTIFACTS, CODE_VERSIONS, RUN_ENDINGS, SEARCH_DOCS, COLUMN_TEXTS, COLUMN_FACETS] as const;
