import { useApp } from '../state/use-app';
import { RerunStaleButton } from './rerun/RerunStaleButton';
import { CompareVersionsButton } from './diff/CompareVersionsButton';
import { SearchBox } from './SearchBox';

export function TopBar() {
  const status = useApp((s) => s.status);
  const theme = useApp((s) => s.theme);
  const setTheme = useApp((s) => s.setTheme);
  const live = useApp((s) => s.snapshot === null);
  const showPanel = useApp((s) => s.showPanel);
  const ingest = useApp((s) => s.ingest);
  const granularity = useApp((s) => s.granularity);
  const setGranularity = useApp((s) => s.setGranularity);
  const mainView = useApp((s) => s.mainView);
  const setMainView = useApp((s) => s.setMainView);
  return (
    <header className="topbar">
      <div className="brand">
        <svg className="brand-mark" viewBox="0 0 24 24" aria-hidden="true">
          <circle cx="5" cy="6" r="2.6" />
          <circle cx="5" cy="18" r="2.6" />
          <circle cx="19" cy="12" r="3.2" />
          <path d="M7.4 6.8 L16 11 M7.4 17.2 L16 13" />
        </svg>
        <span className="brand-name">Retrace</span>
      </div>
      <div className="workspace" title={status?.workspace}>
        {status ? status.workspace : '…'}
      </div>
      <SearchBox />
      <div className="segmented" role="group" aria-label="Graph or catalogue">
        {(['graph', 'catalogue'] as const).map((v) => (
          <button key={v} type="button" aria-pressed={mainView === v} className={mainView === v ? 'on' : ''} onClick={() => setMainView(v)} data-testid={`view-${v}`}>
            {v === 'graph' ? 'Graph' : 'Catalogue'}
          </button>
        ))}
      </div>
      <div className="segmented" role="group" aria-label="Show stages or runs" hidden={mainView !== 'graph'}>
        {(['job', 'run'] as const).map((g) => (
          <button key={g} type="button" aria-pressed={granularity === g} className={granularity === g ? 'on' : ''} onClick={() => void setGranularity(g)}>
            {g === 'job' ? 'Stages' : 'Runs'}
          </button>
        ))}
      </div>
      <div className="topbar-stats" data-testid="counts">
        {status && (
          <>
            <span title={live ? undefined : 'as of the snapshot shown'}><b>{status.counts.runs}</b> {plural(status.counts.runs, 'run')}</span>
            <span title={live ? undefined : 'as of the snapshot shown'}><b>{status.counts.artifacts}</b> {plural(status.counts.artifacts, 'artifact')}</span>
            {!live && <span className="muted small">as of #{status.snapshot}</span>}
            {status.counts.rejectedLines > 0 && (
              <button type="button" className="link-button warn" title="Log lines that could not be read: show them" onClick={() => void showPanel('rejected')}>
                <b>{status.counts.rejectedLines}</b> rejected {plural(status.counts.rejectedLines, 'line')}
              </button>
            )}
          </>
        )}
      </div>
      <RerunStaleButton />
      <CompareVersionsButton testId="compare-versions" />
      <span className={live ? 'pill pill-live' : 'pill'}>{live ? '● Live' : 'Time travel'}</span>
      {ingest && (
        <div className="ingest-progress" role="progressbar" aria-label="Reading provenance logs" aria-valuenow={Math.round((100 * ingest.bytesRead) / Math.max(1, ingest.bytesTotal))}>
          <div style={{ width: `${(100 * ingest.bytesRead) / Math.max(1, ingest.bytesTotal)}%` }} />
        </div>
      )}
      <button
        type="button"
        className="icon-button"
        aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
        title={theme === 'dark' ? 'Light theme' : 'Dark theme'}
        onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
      >
        {theme === 'dark' ? '☀' : '☾'}
      </button>
    </header>
  );
}

const plural = (n: number, word: string) => (n === 1 ? word : `${word}s`);
