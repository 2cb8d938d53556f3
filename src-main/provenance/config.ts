/**
 * The provenance part of `.retrace/config.json`:
 *   { "logSources": ["path", "dir/", "glob/*.jsonl"],
 *     "artifactRules": [{ "match": "**∕Models/*∕*", "kind": "model", "scope": "folder" }],
 *     "defaultArtifactRules": true }
 * Other keys belong to other features and are ignored here.
 */
import fs from 'node:fs';
import { NODE_KINDS } from '../../shared/dto';
import { AppError } from '../../shared/errors';
import type { WorkspacePaths } from '../workspace/workspace-paths';
import { type ArtifactRule, DEFAULT_ARTIFACT_RULES } from './naming';

export interface ProvenanceConfig {
  readonly logSources: readonly string[];
  readonly artifactRules: readonly ArtifactRule[];
}

export function readProvenanceConfig(paths: WorkspacePaths): ProvenanceConfig {
  let raw: unknown = {};
  if (fs.existsSync(paths.configFile)) {
    try {
      raw = JSON.parse(fs.readFileSync(paths.configFile, 'utf8'));
    } catch (err) {
      throw new AppError('INVALID_ARGUMENT', `${paths.configFile} is not valid JSON (${(err as Error).message}); fix or remove it.`);
    }
  }
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const sources = o.logSources ?? [];
  if (!Array.isArray(sources) || !sources.every((s) => typeof s === 'string')) {
    throw new AppError('INVALID_ARGUMENT', `${paths.configFile}: "logSources" must be a list of paths or globs.`);
  }
  const rules = o.artifactRules ?? [];
  if (!Array.isArray(rules)) throw new AppError('INVALID_ARGUMENT', `${paths.configFile}: "artifactRules" must be a list.`);
  const userRules = rules.map((r, i) => checkRule(r, i, paths.configFile));
  const defaults = o.defaultArtifactRules === false ? [] : DEFAULT_ARTIFACT_RULES;
  return { logSources: sources as string[], artifactRules: [...userRules, ...defaults] };
}

function checkRule(r: unknown, i: number, file: string): ArtifactRule {
  const o = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
  const kinds = NODE_KINDS.filter((k) => k !== 'job' && k !== 'run') as string[];
  if (typeof o.match !== 'string' || typeof o.kind !== 'string' || !kinds.includes(o.kind)) {
    throw new AppError('INVALID_ARGUMENT', `${file}: artifactRules[${i}] needs "match" (a glob) and "kind" (one of ${kinds.join(', ')}).`);
  }
  if (o.scope !== undefined && o.scope !== 'folder' && o.scope !== 'file') {
    throw new AppError('INVALID_ARGUMENT', `${file}: artifactRules[${i}].scope must be "folder" or "file".`);
  }
  const exclude = Array.isArray(o.exclude) ? o.exclude.filter((x): x is string => typeof x === 'string') : undefined;
  const marker = typeof o.marker === 'string' ? { marker: o.marker } : {};
  return { match: o.match, kind: o.kind as ArtifactRule['kind'], scope: (o.scope as 'folder' | 'file' | undefined) ?? 'file', ...(exclude ? { exclude } : {}), ...marker };
}
