import { useApp } from '../../state/use-app';

/** "Re-run stale…": opens the plan for everything stale (the staleness view adds its own entry). */
export function RerunStaleButton() {
  const open = useApp((s) => s.openRerunPlan);
  return (
    <button type="button" className="button" onClick={() => void open({ kind: 'stale' })} data-testid="rerun-stale" title="Plan a re-run of every stage whose outputs are stale">
      Re-run stale…
    </button>
  );
}
