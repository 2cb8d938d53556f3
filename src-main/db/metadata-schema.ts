/**
 * The provenance domain schema (see SCHEMA.md for the invariants). Hot tables (`events`,
 * `accesses`) are append-only and keyed by rowid; secondary indexes are only on keys that
 * grow with ingest order, because random-key B-tree churn is the main ingest cost
 * (notes/performance.md §1.2–1.3). Times are epoch milliseconds.
 */
/** Named schema steps; migrations.ts numbers them (this file imports nothing back from it). */
export const PROVENANCE_MIGRATIONS: readonly { readonly name: string; readonly sql: string }[] = [
  {
    name: 'provenance-domain',
    sql: `
      CREATE TABLE prov_sources (
        id        INTEGER PRIMARY KEY,
        path      TEXT NOT NULL UNIQUE,
        format    TEXT NOT NULL CHECK (format IN ('lines','document')),
        dev       INTEGER NOT NULL,
        ino       INTEGER NOT NULL,
        size      INTEGER NOT NULL,
        offset    INTEGER NOT NULL,
        next_line INTEGER NOT NULL,
        last_event_at INTEGER,
        head_length INTEGER,
        head_hash TEXT
      ) STRICT;

      CREATE TABLE jobs (
        id        INTEGER PRIMARY KEY,
        namespace TEXT NOT NULL,
        name      TEXT NOT NULL,
        facets    TEXT NOT NULL DEFAULT '{}',
        UNIQUE (namespace, name)
      ) STRICT;

      CREATE TABLE code_versions (
        id              INTEGER PRIMARY KEY,
        hash            TEXT NOT NULL UNIQUE,
        git_sha         TEXT,
        repo_url        TEXT,
        url             TEXT,
        path            TEXT,
        branch          TEXT,
        dirty_diff_hash TEXT,
        files           TEXT NOT NULL DEFAULT '[]'
      ) STRICT;

      CREATE TABLE environments (
        id                  INTEGER PRIMARY KEY,
        hash                TEXT NOT NULL UNIQUE,
        os                  TEXT,
        arch                TEXT,
        interpreter         TEXT,
        interpreter_version TEXT,
        engine              TEXT,
        engine_version      TEXT,
        variables           TEXT NOT NULL DEFAULT '{}'
      ) STRICT;

      CREATE TABLE environment_packages (
        environment_id INTEGER NOT NULL REFERENCES environments(id),
        name           TEXT NOT NULL,
        version        TEXT NOT NULL,
        PRIMARY KEY (environment_id, name)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE runs (
        id              INTEGER PRIMARY KEY,
        run_uuid        TEXT NOT NULL UNIQUE,
        origin          TEXT NOT NULL CHECK (origin IN ('openlineage','hopsworks')),
        job_id          INTEGER REFERENCES jobs(id),
        state           TEXT NOT NULL,
        started_at      INTEGER,
        ended_at        INTEGER,
        last_event_at   INTEGER NOT NULL,
        user            TEXT,
        host            TEXT,
        parent_run_uuid TEXT,
        command         TEXT,
        cwd             TEXT,
        exit_code       INTEGER,
        error_message   TEXT,
        code_version_id INTEGER REFERENCES code_versions(id),
        environment_id  INTEGER REFERENCES environments(id),
        facets          TEXT NOT NULL DEFAULT '{}',
        first_seq       INTEGER NOT NULL,
        last_seq        INTEGER NOT NULL,
        end_seq         INTEGER
      ) STRICT;

      CREATE TABLE artifacts (
        id                 INTEGER PRIMARY KEY,
        namespace          TEXT NOT NULL,
        name               TEXT NOT NULL,
        path               TEXT,
        kind               TEXT NOT NULL,
        tags               TEXT NOT NULL DEFAULT '[]',
        rollup_id          INTEGER REFERENCES artifacts(id),
        current_version_id INTEGER,
        facets             TEXT NOT NULL DEFAULT '{}',
        first_seq          INTEGER NOT NULL,
        UNIQUE (namespace, name)
      ) STRICT;

      CREATE TABLE artifact_versions (
        id               INTEGER PRIMARY KEY,
        artifact_id      INTEGER NOT NULL REFERENCES artifacts(id),
        version          TEXT NOT NULL,
        version_kind     TEXT NOT NULL CHECK (version_kind IN ('hash','dataset_version','run','initial')),
        size             INTEGER,
        row_count        INTEGER,
        producing_run_id INTEGER REFERENCES runs(id),
        created_at       INTEGER,
        seq              INTEGER NOT NULL,
        UNIQUE (artifact_id, version)
      ) STRICT;

      CREATE TABLE events (
        seq         INTEGER PRIMARY KEY,
        source_id   INTEGER NOT NULL,
        line        INTEGER NOT NULL,
        byte_offset INTEGER NOT NULL,
        hash        TEXT NOT NULL,
        kind        TEXT NOT NULL,
        event_type  TEXT,
        event_time  INTEGER NOT NULL,
        run_id      INTEGER
      ) STRICT;

      CREATE TABLE accesses (
        id                  INTEGER PRIMARY KEY,
        run_id              INTEGER,
        artifact_id         INTEGER NOT NULL,
        version_id          INTEGER NOT NULL,
        op                  TEXT NOT NULL CHECK (op IN ('READ','CREATE','MODIFY','DELETE','RENAME','OTHER')),
        raw_op              TEXT NOT NULL,
        origin              TEXT NOT NULL CHECK (origin IN ('input','output','footprint','file_op')),
        at                  INTEGER,
        seq                 INTEGER NOT NULL,
        renamed_from_id     INTEGER
      ) STRICT;
      CREATE INDEX accesses_by_run ON accesses (run_id);

      CREATE TABLE run_endings (
        seq    INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL UNIQUE,
        state  TEXT NOT NULL,
        at     INTEGER NOT NULL,
        event_seq INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE prov_rejected (
        id        INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL,
        file      TEXT NOT NULL,
        line      INTEGER NOT NULL,
        reason    TEXT NOT NULL,
        excerpt   TEXT NOT NULL
      ) STRICT;

      CREATE TABLE prov_warnings (
        kind  TEXT PRIMARY KEY,
        count INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      -- Contentless (the text lives in the entity tables): half the writes of a normal FTS5 table.
      -- rowid = entity id * 4 + kind (1 run, 2 artifact, 3 job).
      CREATE VIRTUAL TABLE prov_search USING fts5 (
        name, path, job, command, user, tags, facets,
        content = '', contentless_delete = 1, tokenize = 'unicode61'
      );
    `,
  },
  {
    // Per row, a CHECK on a text column cost as much as the rest of the insert (accesses: 2.5 →
    // 1.4 µs a row) and the foreign keys a quarter of the runs' and versions' inserts. The
    // values come from the ingest's typed writers, which only write the declared ones, and the
    // DB is derived, so these three tables are recreated without CHECKs (foreign keys stay
    // declared, for readers, and are not enforced: see open-db.ts). Every provenance table is
    // emptied with them: the next ingest, or query, reads the logs again from the start.
    name: 'provenance-lean-rows',
    sql: `
      DELETE FROM prov_search;
      DELETE FROM prov_warnings;
      DELETE FROM prov_rejected;
      DELETE FROM run_endings;
      DROP TABLE accesses;
      DELETE FROM events;
      DROP TABLE artifact_versions;
      DELETE FROM artifacts;
      DROP TABLE runs;
      DELETE FROM environment_packages;
      DELETE FROM environments;
      DELETE FROM code_versions;
      DELETE FROM jobs;
      DELETE FROM prov_sources;

      CREATE TABLE runs (
        id              INTEGER PRIMARY KEY,
        run_uuid        TEXT NOT NULL UNIQUE,
        origin          TEXT NOT NULL,
        job_id          INTEGER REFERENCES jobs(id),
        state           TEXT NOT NULL,
        started_at      INTEGER,
        ended_at        INTEGER,
        last_event_at   INTEGER NOT NULL,
        user            TEXT,
        host            TEXT,
        parent_run_uuid TEXT,
        command         TEXT,
        cwd             TEXT,
        exit_code       INTEGER,
        error_message   TEXT,
        code_version_id INTEGER REFERENCES code_versions(id),
        environment_id  INTEGER REFERENCES environments(id),
        facets          TEXT NOT NULL DEFAULT '{}',
        first_seq       INTEGER NOT NULL,
        last_seq        INTEGER NOT NULL,
        end_seq         INTEGER
      ) STRICT;

      CREATE TABLE artifact_versions (
        id               INTEGER PRIMARY KEY,
        artifact_id      INTEGER NOT NULL REFERENCES artifacts(id),
        version          TEXT NOT NULL,
        version_kind     TEXT NOT NULL,
        size             INTEGER,
        row_count        INTEGER,
        producing_run_id INTEGER REFERENCES runs(id),
        created_at       INTEGER,
        seq              INTEGER NOT NULL,
        UNIQUE (artifact_id, version)
      ) STRICT;

      CREATE TABLE accesses (
        id                  INTEGER PRIMARY KEY,
        run_id              INTEGER,
        artifact_id         INTEGER NOT NULL,
        version_id          INTEGER NOT NULL,
        op                  TEXT NOT NULL,
        raw_op              TEXT NOT NULL,
        origin              TEXT NOT NULL,
        at                  INTEGER,
        seq                 INTEGER NOT NULL,
        renamed_from_id     INTEGER
      ) STRICT;
      CREATE INDEX accesses_by_run ON accesses (run_id);
    `,
  },
  {
    // Column lineage (issue 19): the `schema` and `columnLineage` dataset facets, per run and
    // dataset, as the events carried them. Bodies are stored once per distinct text (a facet
    // re-emitted on START, RUNNING and COMPLETE, or by every run of a job, is one row of
    // column_texts). Logs ingested before had these facets dropped, so every provenance table
    // is emptied with them and the next ingest reads the logs again (the DB is derived).
    name: 'column-lineage',
    sql: `
      DELETE FROM prov_search;
      DELETE FROM prov_warnings;
      DELETE FROM prov_rejected;
      DELETE FROM run_endings;
      DELETE FROM accesses;
      DELETE FROM events;
      DELETE FROM artifact_versions;
      DELETE FROM artifacts;
      DELETE FROM runs;
      DELETE FROM environment_packages;
      DELETE FROM environments;
      DELETE FROM code_versions;
      DELETE FROM jobs;
      DELETE FROM prov_sources;

      CREATE TABLE column_texts (
        id   INTEGER PRIMARY KEY,
        hash TEXT NOT NULL,
        body TEXT NOT NULL,
        refs TEXT
      ) STRICT;

      CREATE TABLE column_facets (
        id          INTEGER PRIMARY KEY,
        run_id      INTEGER NOT NULL,
        artifact_id INTEGER NOT NULL,
        role        TEXT NOT NULL,
        seq         INTEGER NOT NULL,
        schema_id   INTEGER,
        lineage_id  INTEGER
      ) STRICT;
    `,
  },
];

/** Tables emptied by `--rebuild`, children first (rowids restart at 1, so a rebuild is identical). */
export const PROVENANCE_TABLES = [
  'column_facets',
  'column_texts',
  'prov_search',
  'prov_warnings',
  'prov_rejected',
  'run_endings',
  'accesses',
  'events',
  'artifact_versions',
  'artifacts',
  'runs',
  'environment_packages',
  'environments',
  'code_versions',
  'jobs',
  'prov_sources',
] as const;
