/**
 * Ordered schema migrations of the metadata DB. Append only: a released migration is never
 * edited, a change is a new entry. `id` is the 1-based position and is checked at startup.
 *
 * The DB is a derived index (DESIGN §1): `retrace ingest --rebuild` may always drop it and
 * replay the logs, so migrations may be simple and need no down-steps.
 */
import { PROVENANCE_MIGRATIONS } from './metadata-schema';

export interface Migration {
  readonly id: number;
  readonly name: string;
  readonly sql: string;
}

export const CORE_MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'workspace-meta',
    sql: `
      CREATE TABLE workspace_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `,
  },
  // Provenance domain (issue 3); ids continue after the core ones.
  ...PROVENANCE_MIGRATIONS.map((m, i) => ({ ...m, id: 2 + i })),
];
