import { useApp } from '../../state/use-app';

/**
 * "Compare versions…": opens the version diff on the selected artifact (its versions, or its
 * sibling version folders, to pick from), or on an empty picker when nothing is selected.
 */
export function CompareVersionsButton({ testId = 'compare-versions' }: { testId?: string }) {
  const open = useApp((s) => s.openVersionPicker);
  const selected = useApp((s) => {
    const n = s.graph?.nodes.find((x) => x.id === s.selectedId);
    return n && n.kind !== 'job' && n.kind !== 'run' ? n.label : null;
  });
  return (
    <button type="button" className="button" onClick={() => void open(selected ?? undefined)} data-testid={testId} title="What changed between two versions of an artifact, along their whole provenance">
      Compare versions…
    </button>
  );
}
