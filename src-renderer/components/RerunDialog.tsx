import { useEffect, useRef } from 'react';
import { useApp } from '../state/use-app';

/**
 * Re-runs execute only after the user has seen and confirmed the exact command and folder
 * (DESIGN §7). The dialog shows each argument separately, because that is what will run:
 * no shell, no expansion, no quoting surprises.
 */
export function RerunDialog() {
  const rerun = useApp((s) => s.rerun);
  const confirm = useApp((s) => s.confirmRerun);
  const dismiss = useApp((s) => s.dismissRerun);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (rerun?.state === 'confirm') cancelRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && rerun && rerun.state !== 'running') dismiss();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [rerun, dismiss]);
  if (!rerun) return null;
  return (
    <div className="modal-backdrop" role="presentation">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="rerun-title" data-testid="rerun-dialog">
        {rerun.state === 'error' ? (
          <>
            <h2 id="rerun-title">Cannot re-run</h2>
            <p className="error-text">{rerun.message}</p>
            <div className="modal-actions">
              <button type="button" className="button" onClick={dismiss}>Close</button>
            </div>
          </>
        ) : (
          <>
            <h2 id="rerun-title">Re-run {rerun.offer.stage ?? 'this run'}?</h2>
            <p className="muted">This executes the recorded command on this machine, exactly as below, and records the new run.</p>
            <dl className="facts">
              <dt>Folder</dt>
              <dd><code data-testid="rerun-cwd">{rerun.offer.cwd}</code></dd>
              <dt>Command</dt>
              <dd className="argv" data-testid="rerun-argv">
                {rerun.offer.argv.map((a, i) => (
                  <code key={i}>{a}</code>
                ))}
              </dd>
            </dl>
            {rerun.state === 'running' && (
              <p className="running"><span className="spinner small" /> Running… its reads and writes are being captured.</p>
            )}
            {rerun.state === 'done' && (
              <p className={rerun.result.exitCode === 0 ? 'ok-text' : 'error-text'} data-testid="rerun-result">
                {rerun.result.exitCode === 0 ? 'Finished' : `Failed (exit ${rerun.result.exitCode ?? rerun.result.signal})`}: new run {rerun.result.run.slice(0, 8)}. The graph updates as it is ingested.
              </p>
            )}
            <div className="modal-actions">
              {rerun.state === 'confirm' ? (
                <>
                  <button type="button" ref={cancelRef} className="button" onClick={dismiss}>Cancel</button>
                  <button type="button" className="button primary" onClick={() => void confirm()}>Run exactly this</button>
                </>
              ) : (
                <button type="button" className="button" disabled={rerun.state === 'running'} onClick={dismiss}>Close</button>
              )}
            </div>
          </>
        )}
      </div>
    </div>
  );
}
