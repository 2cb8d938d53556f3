import fs from 'node:fs';
import { AppError } from '../../shared/errors';

/**
 * The `store` section of `.retrace/config.json`:
 *   {"store": {"enabled": true, "maxFileBytes": 268435456, "budgetBytes": 2147483648, "ignore": ["data/huge/**"]}}
 * Files above `maxFileBytes` or matching `ignore` (globs over the workspace-relative or absolute
 * path) are recorded by hash only. `budgetBytes` caps the store; the least recently used objects
 * go first, never those a pinned run needs. Other sections belong to other capabilities.
 */
export interface StoreConfig {
  readonly enabled: boolean;
  readonly maxFileBytes: number;
  readonly budgetBytes: number;
  readonly ignore: readonly string[];
}

export const DEFAULT_STORE_CONFIG: StoreConfig = {
  enabled: true,
  maxFileBytes: 256 * 1024 * 1024,
  budgetBytes: 2 * 1024 * 1024 * 1024,
  ignore: [],
};

export function readStoreConfig(configFile: string): StoreConfig {
  if (!fs.existsSync(configFile)) return DEFAULT_STORE_CONFIG;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  } catch {
    throw new AppError('INVALID_ARGUMENT', `${configFile} is not valid JSON; fix or remove it.`);
  }
  const s = (parsed as { store?: unknown } | null)?.store;
  if (s === undefined) return DEFAULT_STORE_CONFIG;
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new AppError('INVALID_ARGUMENT', `"store" in ${configFile} must be an object.`);
  const c = s as Record<string, unknown>;
  const size = (key: 'maxFileBytes' | 'budgetBytes'): number => {
    const v = c[key];
    if (v === undefined) return DEFAULT_STORE_CONFIG[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new AppError('INVALID_ARGUMENT', `"store.${key}" in ${configFile} must be a non-negative number of bytes.`);
    return v;
  };
  if (c.enabled !== undefined && typeof c.enabled !== 'boolean') throw new AppError('INVALID_ARGUMENT', `"store.enabled" in ${configFile} must be true or false.`);
  if (c.ignore !== undefined && (!Array.isArray(c.ignore) || !c.ignore.every((g) => typeof g === 'string'))) {
    throw new AppError('INVALID_ARGUMENT', `"store.ignore" in ${configFile} must be a list of glob strings.`);
  }
  return {
    enabled: (c.enabled as boolean | undefined) ?? true,
    maxFileBytes: size('maxFileBytes'),
    budgetBytes: size('budgetBytes'),
    ignore: (c.ignore as string[] | undefined) ?? [],
  };
}
