import fs from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../../shared/errors';
import type { VersionRefDto } from '../../../shared/version-diff-dto';
import { workspacePaths } from '../../workspace/workspace-paths';
import { printJson, resolveWorkspace } from '../cli-io';

/**
 * `retrace diff A B` (DESIGN §8, issue 15): two artifact versions — `Models/churn/3`, or
 * `ARTIFACT@VERSION` (a version label or unique prefix) — compared along their whole upstream
 * provenance, through the same API the app's diff view uses.
 */
export function registerDiffCommand(program: Command): void {
  program
    .command('diff <a> <b>')
    .description('what changed between two artifact versions, along their provenance: code, parameters, environment and data per stage')
    .option('-w, --workspace <dir>', 'the workspace (default: nearest folder upward holding .retrace/)')
    .option('--json', 'print one JSON document')
    .addHelpText('after', '\nA and B are artifacts (their current version) or ARTIFACT@VERSION.\nExamples:\n  retrace diff Models/churn/3 Models/churn/5\n  retrace diff Churn_featurestore.db/customer_features_1@2 Churn_featurestore.db/customer_features_1@4 --json')
    .action(async (a: string, b: string, o: { workspace?: string; json?: boolean }) => {
      const paths = workspacePaths(resolveWorkspace(o.workspace));
      if (!fs.existsSync(paths.dotDir)) throw new AppError('NOT_FOUND', `${paths.root} is not a Retrace workspace (it has no .retrace folder).`);
      const [{ createCore }, { ingestOnce }, { formatVersionDiff }] = await Promise.all([import('../../api/create-core'), import('../../provenance/ingest'), import('../diff-print')]);
      const core = createCore({ workspaceRoot: paths.root });
      try {
        ingestOnce({ paths: core.paths, db: core.db });
        const d = await core.api.diffVersions({ a: parseRef(a), b: parseRef(b) });
        if (o.json) printJson(d);
        else process.stdout.write(formatVersionDiff(d));
      } finally {
        core.dispose();
      }
    });
}

/** `path@version` → {artifact, version}; an `@` followed by a path segment is part of the path. */
export function parseRef(arg: string): VersionRefDto {
  const at = arg.lastIndexOf('@');
  if (at <= 0 || arg.slice(at + 1).includes('/') || at === arg.length - 1) return { artifact: arg };
  return { artifact: arg.slice(0, at), version: arg.slice(at + 1) };
}
