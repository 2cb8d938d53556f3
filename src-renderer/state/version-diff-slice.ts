import type { StoreApi } from 'zustand/vanilla';
import type { RetraceClient } from '../../shared/api';
import { AppError } from '../../shared/errors';
import type { VersionChoiceDto, VersionDiffDto, VersionRefDto } from '../../shared/version-diff-dto';
import type { OverlayState } from './overlays';

/** What the diff view needs from the API. */
export type VersionDiffDeps = Pick<RetraceClient, 'diffVersions' | 'listVersions'>;

type Host = VersionDiffSlice & { overlay: OverlayState | null; overlayError: string | null };

/**
 * "What changed between these two versions?" (issue 15): the versions to pick from (an
 * artifact's own versions and its sibling version folders), the two picked, and their diff
 * along both provenance chains. `diff.chains` holds the graph nodes of both chains, for
 * highlighting them on the canvas.
 */
export interface VersionDiffView {
  /** The artifact whose versions are offered. */
  readonly artifact: string;
  readonly choices: readonly VersionChoiceDto[] | null;
  readonly a: VersionRefDto | null;
  readonly b: VersionRefDto | null;
  /** picking → loading → ready; error at any point. */
  readonly phase: 'picking' | 'loading' | 'ready' | 'error';
  readonly diff: VersionDiffDto | null;
  readonly error: string | null;
}

export interface VersionDiffSlice {
  versionDiff: VersionDiffView | null;
  /** Opens the diff of two versions (from an artifact's history or the catalogue). */
  openVersionDiff(a: VersionRefDto, b: VersionRefDto): Promise<void>;
  /** Opens the view to pick two versions; with an artifact, its versions are offered at once. */
  openVersionPicker(artifact?: string): Promise<void>;
  /** Offers the versions of another artifact. */
  chooseDiffArtifact(artifact: string): Promise<void>;
  closeVersionDiff(): void;
  /** Closes the view and colours both provenance chains on the graph (the legend says which is which). */
  showChainsOnGraph(): void;
}

type Set = StoreApi<Host>['setState'];
type Get = StoreApi<Host>['getState'];

export function createVersionDiffSlice(deps: VersionDiffDeps, set: Set, get: Get): VersionDiffSlice {
  let seq = 0;
  const message = (err: unknown) => (err instanceof AppError ? err.message : String((err as Error)?.message ?? err));
  const patch = (p: Partial<VersionDiffView>) => {
    const v = get().versionDiff;
    if (v) set({ versionDiff: { ...v, ...p } });
  };
  const offer = async (artifact: string, mine: number) => {
    try {
      const choices = await deps.listVersions({ artifact });
      if (mine === seq) patch({ choices });
    } catch (err) {
      if (mine === seq) patch({ phase: 'error', error: message(err), choices: [] });
    }
  };

  return {
    versionDiff: null,

    async openVersionDiff(a, b) {
      const mine = ++seq;
      set({ versionDiff: { artifact: a.artifact, choices: get().versionDiff?.artifact === a.artifact ? get().versionDiff!.choices : null, a, b, phase: 'loading', diff: null, error: null } });
      const choices = get().versionDiff?.choices ? Promise.resolve() : offer(a.artifact, mine);
      try {
        const diff = await deps.diffVersions({ a, b });
        if (mine === seq) patch({ phase: 'ready', diff });
      } catch (err) {
        if (mine === seq) patch({ phase: 'error', error: message(err) });
      }
      await choices;
    },

    async openVersionPicker(artifact) {
      const mine = ++seq;
      set({ versionDiff: { artifact: artifact ?? '', choices: artifact ? null : [], a: artifact ? { artifact } : null, b: null, phase: 'picking', diff: null, error: null } });
      if (artifact) await offer(artifact, mine);
    },

    async chooseDiffArtifact(artifact) {
      const mine = ++seq;
      patch({ artifact, choices: null, a: { artifact }, b: null, phase: 'picking', diff: null, error: null });
      await offer(artifact, mine);
    },

    closeVersionDiff() {
      seq++;
      set({ versionDiff: null });
    },

    showChainsOnGraph() {
      const d = get().versionDiff?.diff;
      if (!d) return;
      seq++;
      const of = d.chains.b.find((id) => id.startsWith('artifact:')) ?? d.chains.b[0] ?? '';
      set({ versionDiff: null, overlay: { kind: 'chains', of, a: d.chains.a, b: d.chains.b }, overlayError: null });
    },
  };
}
