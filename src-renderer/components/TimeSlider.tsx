import { useState } from 'react';
import { useApp } from '../state/use-app';
import { formatTime } from './details/format';

const SPEEDS = [1, 2, 4];

/**
 * "As of" slider over the workspace snapshots; the right end is the live graph. "Compare…"
 * adds a second handle (A): the graph then shows what changed from A to the shown snapshot,
 * and play steps from A to it.
 */
export function TimeSlider() {
  const snapshots = useApp((s) => s.snapshots);
  const snapshot = useApp((s) => s.snapshot);
  const setSnapshot = useApp((s) => s.setSnapshot);
  const diff = useApp((s) => s.snapshotDiff);
  const compare = useApp((s) => s.compare);
  const startCompare = useApp((s) => s.startCompare);
  const setCompareFrom = useApp((s) => s.setCompareFrom);
  const stopCompare = useApp((s) => s.stopCompare);
  const playing = useApp((s) => s.playing);
  const play = useApp((s) => s.play);
  const pause = useApp((s) => s.pause);
  const setSideTab = useApp((s) => s.setSideTab);
  const [speed, setSpeed] = useState(2);
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
  const fromIndex = compare ? Math.max(0, snapshots.findIndex((s) => s.seq === compare.from)) : -1;
  const pct = (i: number) => (snapshots.length > 1 ? (100 * i) / (snapshots.length - 1) : 0);
  return (
    <footer className={`timebar ${compare ? 'comparing' : ''}`} data-testid="time-slider">
      <label className="timebar-label" htmlFor="as-of">{compare ? 'Compare' : 'As of'}</label>
      <div className="slider-stack">
        {compare && (
          <>
            <div className="range-band" style={{ left: `${pct(Math.min(fromIndex, index))}%`, width: `${pct(Math.abs(index - fromIndex))}%` }} />
            <input
              className="range-a"
              type="range"
              min={0}
              max={snapshots.length - 1}
              value={fromIndex}
              aria-label="Compare from (A)"
              onChange={(e) => {
                const i = Math.min(Number(e.target.value), Math.max(0, index - 1));
                void setCompareFrom(snapshots[i]!.seq);
              }}
              data-testid="compare-from"
            />
          </>
        )}
        <input
          id="as-of"
          className="range-b"
          type="range"
          min={0}
          max={snapshots.length - 1}
          value={index}
          aria-label={compare ? 'Compare to (B), the snapshot shown' : 'Snapshot shown'}
          aria-valuetext={`#${current.seq} · ${current.label}`}
          onChange={(e) => {
            const i = Number(e.target.value);
            if (compare && i <= fromIndex) return;
            const s = snapshots[i]!;
            void setSnapshot(s.seq === last.seq ? null : s.seq).then(() => compare && setCompareFrom(compare.from));
          }}
        />
      </div>
      <span className="timebar-current" title={current.at}>
        {compare && <>A #{compare.from} → B </>}#{current.seq} · {formatTime(current.at)} · {current.label}
      </span>
      {!compare && diff && (
        <span className="timebar-diff" data-testid="snapshot-diff" title="What this snapshot brought, compared with the one before">
          +{diff.nodes.added.length} new · {diff.nodes.changed.length} changed
        </span>
      )}
      {compare ? (
        <>
          {playing ? (
            <button type="button" className="button small" onClick={pause} data-testid="pause">❚❚ Pause</button>
          ) : (
            <button type="button" className="button small" onClick={() => play(speed)} disabled={index <= fromIndex} title="Step from A to B" data-testid="play">▶ Play</button>
          )}
          <select className="speed" aria-label="Play speed" value={speed} onChange={(e) => {
            setSpeed(Number(e.target.value));
            if (playing) play(Number(e.target.value));
          }} data-testid="play-speed">
            {SPEEDS.map((s) => <option key={s} value={s}>{s} step{s === 1 ? '' : 's'}/s</option>)}
          </select>
          <button type="button" className="button small" onClick={() => setSideTab('changes')}>What changed</button>
          <button type="button" className="button small" onClick={stopCompare} data-testid="stop-compare">Done</button>
        </>
      ) : (
        <button type="button" className="button small" disabled={snapshots.length < 2} onClick={() => void startCompare().then(() => setSideTab('changes'))} title="Compare two points in time" data-testid="start-compare">
          Compare…
        </button>
      )}
      <button type="button" className="button small" disabled={snapshot === null} onClick={() => void setSnapshot(null).then(() => compare && setCompareFrom(compare.from))}>
        Live
      </button>
    </footer>
  );
}
