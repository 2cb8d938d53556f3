import { useApp } from '../../state/use-app';

/** "Replay…" for a run's inspector: re-runs it in a sandbox with the inputs it read, and says whether it still reproduces. */
export function ReplayButton({ run }: { run: string }) {
  const open = useApp((s) => s.openReplay);
  return (
    <button type="button" className="button" onClick={() => void open(run)} data-testid="replay-button" title="Run it again in a sandbox with the exact inputs it read, and compare what it makes">
      Replay…
    </button>
  );
}
