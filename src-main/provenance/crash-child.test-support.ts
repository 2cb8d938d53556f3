/**
 * Test support for crash.test.ts: one ingest pass in a child process, killed with SIGKILL at
 * random points by the parent. Usage: node --import tsx crash-child.test-support.ts <workspace> <batchEvents>
 */
import { openDb } from '../db/open-db';
import { workspacePaths } from '../workspace/workspace-paths';
import { ingestOnce } from './ingest';

const [root, batch] = process.argv.slice(2);
const paths = workspacePaths(root!);
const db = openDb(paths.dbFile);
process.stdout.write('READY\n');
const r = ingestOnce({ paths, db, batchEvents: Number(batch) });
db.close();
process.stdout.write(`DONE ${r.events}\n`);
