import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';

/**
 * The layering rules are real: each forbidden import fails the lint, and an allowed one
 * passes. Lints text under a virtual file name, so nothing is written into the tree.
 */
const root = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function lintAs(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals').map((m) => m.message);
}

const cases: { file: string; code: string; forbidden: boolean }[] = [
  { file: 'shared/probe.ts', code: "import fs from 'node:fs';\nexport const x = fs;\n", forbidden: true },
  { file: 'shared/probe.ts', code: "import path from 'path';\nexport const x = path;\n", forbidden: true },
  { file: 'shared/probe.ts', code: "import { app } from 'electron';\nexport const x = app;\n", forbidden: true },
  { file: 'shared/probe.ts', code: "import React from 'react';\nexport const x = React;\n", forbidden: true },
  { file: 'shared/probe.ts', code: "import { openDb } from '../src-main/db/open-db';\nexport const x = openDb;\n", forbidden: true },
  { file: 'shared/probe.ts', code: 'export const x = process.env;\n', forbidden: true },
  { file: 'shared/probe.ts', code: "import { z } from 'zod';\nexport const x = z;\n", forbidden: false },
  { file: 'src-main/lineage/probe.ts', code: "import { app } from 'electron';\nexport const x = app;\n", forbidden: true },
  { file: 'src-main/lineage/probe.ts', code: "import { pickClient } from '../../src-renderer/api/pick-client';\nexport const x = pickClient;\n", forbidden: true },
  { file: 'src-main/lineage/probe.ts', code: "import fs from 'node:fs';\nexport const x = fs;\n", forbidden: false },
  { file: 'src-main/electron/probe.ts', code: "import { app } from 'electron';\nexport const x = app;\n", forbidden: false },
  { file: 'src-renderer/probe.ts', code: "import fs from 'node:fs';\nexport const x = fs;\n", forbidden: true },
  { file: 'src-renderer/probe.ts', code: "import cp from 'child_process';\nexport const x = cp;\n", forbidden: true },
  { file: 'src-renderer/probe.ts', code: "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n", forbidden: true },
  { file: 'src-renderer/probe.ts', code: "import { openDb } from '../src-main/db/open-db';\nexport const x = openDb;\n", forbidden: true },
  { file: 'src-renderer/probe.ts', code: "import Database from 'better-sqlite3';\nexport const x = Database;\n", forbidden: true },
  { file: 'src-renderer/probe.ts', code: "import { API_METHODS } from '../shared/api';\nexport const x = API_METHODS;\n", forbidden: false },
];

for (const c of cases) {
  test(`${c.forbidden ? 'forbids' : 'allows'} in ${c.file}: ${c.code.split('\n')[0]}`, async () => {
    const messages = await lintAs(c.file, c.code);
    if (c.forbidden) assert.ok(messages.length > 0, 'expected a layering error');
    else assert.deepEqual(messages, []);
  });
}
