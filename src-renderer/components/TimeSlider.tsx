import { useApp } from '../state/use-app';

/** "As of" slider over the workspace snapshots; the right end is the live graph. */
export function TimeSlider() {
  const snapshots = useApp((s) => s.snapshots);
  const snapshot = useApp((s) => s.snapshot);
  const setSnapshot = useApp((s) => s.setSnapshot);
  const diff = useApp((s) => s.snapshotDiff);
  if (snapshots.length === 0) {
    return (
      <footer className="timebar muted" data-testid="time-slider">
        <span className="timebar-label">No snapshots yet: each finished run and each table commit becomes one.</span>
      </footer>
    );
  }
  const last = snapshots[snapshots.length - 1]!;
  const index = snapshot === null ? snapshots.length - 1 : Math.max(0, snapshots.findIndex((s) => s.seq === snapshot));
  const current = snapshots[index]!;
  return (
    <footer className="timebar" data-testid="time-slider">
      <label className="timebar-label" htmlFor="as-of">As of</label>
      <input
        id="as-of"
        type="range"
        min={0}
        max={snapshots.length - 1}
        value={index}
        onChange={(e) => {
          const s = snapshots[Number(e.target.value)]!;
          void setSnapshot(s.seq === last.seq ? null : s.seq);
        }}
      />
      <span className="timebar-current">
        #{current.seq} · {new Date(current.at).toLocaleString()} · {current.label}
      </span>
      {diff && (
        <span className="timebar-diff" data-testid="snapshot-diff" title="Compared with the snapshot before">
          +{diff.nodes.added.length} new · {diff.nodes.changed.length} changed
        </span>
      )}
      <button type="button" className="button" disabled={snapshot === null} onClick={() => void setSnapshot(null)}>
        Live
      </button>
    </footer>
  );
}
