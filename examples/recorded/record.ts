// Re-records the demo history shipped for machines without python3 or strace:
//   node --import tsx examples/recorded/record.ts
// Builds the demo live in a temp folder and copies it (without .git and caches) to
// examples/recorded/workspace. Re-run it whenever the pipeline or the event format changes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDemoWorkspace, copyForRecording } from '../../src-main/demo/build-demo';

const target = path.resolve(import.meta.dirname, 'workspace');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-record-'));
const built = path.join(tmp, 'demo');
try {
  const { recorded } = await buildDemoWorkspace(built, { onProgress: (m) => process.stderr.write(`${m}\n`) });
  if (recorded) throw new Error('python3 or strace is missing here, so there is nothing live to record.');
  copyForRecording(built, target);
  process.stdout.write(`recorded the demo history to ${target}\n`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
