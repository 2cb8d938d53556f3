/**
 * Artifact kinds from naming rules (DESIGN §4). A `folder` rule marks a directory as an
 * artifact: files below it roll up to it (Hopsworks' `*_PART`). A `file` rule only kinds the
 * path itself. Rules come from `.retrace/config.json` (`artifactRules`) before the defaults.
 */
import type { NodeKind } from '../../shared/dto';
import { globToRegExp } from '../../shared/glob';

export type ArtifactKind = Exclude<NodeKind, 'job' | 'run'>;

export interface ArtifactRule {
  /** Glob over a normalised path (shared/glob.ts: `*` = one segment part, `**` = any segments, `{a,b}`). */
  readonly match: string;
  readonly kind: ArtifactKind;
  /** `folder`: the matched directory is the artifact and everything below rolls up to it. */
  readonly scope?: 'folder' | 'file';
  /** Last-segment names that never form the artifact (Hopsworks' resource folders). */
  readonly exclude?: readonly string[];
  /** Folder rules only: the folder is an artifact only when its child is named so (Delta's `_delta_log`, Hudi's `.hoodie`). */
  readonly marker?: string;
}

/** Seeded with Hopsworks' conventions (notes/hopsworks-provenance.md §2.4) plus ML defaults. */
export const DEFAULT_ARTIFACT_RULES: readonly ArtifactRule[] = [
  { match: '**/Models/*/*', kind: 'model', scope: 'folder' },
  { match: '**/*_Training_Datasets/*', kind: 'training_dataset', scope: 'folder', exclude: ['code', 'transformation_functions', '.featureviews'] },
  { match: '**/*_featurestore.db/*', kind: 'feature_group', scope: 'folder', exclude: ['code', 'storage_connector_resources'] },
  { match: '**/Experiments/application_*', kind: 'experiment', scope: 'folder' },
  // A Delta table is its folder; `_delta_log/` and part files belong to it.
  { match: '**/*', kind: 'dataset', scope: 'folder', marker: '_delta_log' },
  // A Hudi table likewise: its timeline lives in `.hoodie/`, data files beside it.
  { match: '**/*', kind: 'dataset', scope: 'folder', marker: '.hoodie' },
  { match: '**/*.{pt,pth,pkl,joblib,onnx,safetensors,h5,ckpt}', kind: 'model', scope: 'file' },
  { match: '**/*.{csv,parquet,jsonl,tsv,feather,arrow,avro,orc}', kind: 'dataset', scope: 'file' },
  { match: '**/{environment.yml,requirements.txt,poetry.lock,uv.lock,Pipfile.lock}', kind: 'environment', scope: 'file' },
  { match: '**/*.{py,ipynb,sql,R,scala}', kind: 'code', scope: 'file' },
];

export interface ArtifactClass {
  readonly kind: ArtifactKind;
  /** The folder artifact this path rolls up to, or null. */
  readonly rollup: { readonly path: string; readonly kind: ArtifactKind } | null;
}

interface CompiledRule {
  readonly re: RegExp;
  readonly rule: ArtifactRule;
}

export class ArtifactClassifier {
  private readonly compiled: CompiledRule[];
  private readonly cache = new Map<string, ArtifactClass>();
  /**
   * Folder prefix → the folder rules (in order) whose glob matches it and that do not exclude
   * its last segment. Paths share few folders, so each prefix is tested against the globs once
   * (the regex tests of every prefix of every new path were a tenth of ingest time).
   */
  private readonly folderRules = new Map<string, CompiledRule[]>();

  constructor(rules: readonly ArtifactRule[]) {
    this.compiled = rules.map((rule) => ({ re: globToRegExp(rule.match), rule }));
  }

  classify(path: string): ArtifactClass {
    const hit = this.cache.get(path);
    if (hit) return hit;
    const result = this.compute(path);
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(path, result);
    return result;
  }

  private compute(path: string): ArtifactClass {
    const segs = path.split('/');
    // Folder rules: the shortest matching proper prefix wins (Models/m/1, not Models/m/1/x).
    let prefix = '';
    for (let k = 1; k < segs.length; k++) {
      prefix = k === 1 ? segs[0]! : `${prefix}/${segs[k - 1]!}`;
      for (const c of this.folderRulesOf(prefix, segs[k - 1]!)) {
        if (c.rule.marker !== undefined && segs[k] !== c.rule.marker) continue;
        return { kind: 'file', rollup: { path: prefix, kind: c.rule.kind } };
      }
    }
    // The folder itself (a table op names the table folder, not its files): it is the artifact.
    for (const c of this.compiled) {
      if (c.rule.scope !== 'folder' || c.rule.marker !== undefined) continue;
      if (c.rule.exclude?.includes(segs[segs.length - 1]!)) continue;
      if (c.re.test(path)) return { kind: c.rule.kind, rollup: null };
    }
    for (const c of this.compiled) {
      if (c.rule.scope === 'folder') continue;
      if (c.rule.exclude?.includes(segs[segs.length - 1]!)) continue;
      if (c.re.test(path)) return { kind: c.rule.kind, rollup: null };
    }
    return { kind: 'file', rollup: null };
  }

  /** `last` is the prefix's last segment (so the result depends on the prefix alone). */
  private folderRulesOf(prefix: string, last: string): CompiledRule[] {
    let rules = this.folderRules.get(prefix);
    if (!rules) {
      rules = this.compiled.filter((c) => c.rule.scope === 'folder' && !c.rule.exclude?.includes(last) && c.re.test(prefix));
      if (this.folderRules.size > 100_000) this.folderRules.clear();
      this.folderRules.set(prefix, rules);
    }
    return rules;
  }
}

const NOT_NORMAL = /\\|\/\/|\/$|(?:^|\/)\.\.?(?:\/|$)/;

/** Posix-normalises a path: `\` → `/`, no `.`/`..`/empty segments, no trailing slash. */
export function normalisePath(p: string): string {
  // Most paths are already normal (no backslash, no empty, `.` or `..` segment, no trailing slash).
  if (!NOT_NORMAL.test(p)) return p;
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
      continue;
    }
    out.push(seg);
  }
  return (abs ? '/' : '') + out.join('/');
}
