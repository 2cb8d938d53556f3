import { useEffect, useRef } from 'react';

/** The phases the re-run and replay dialogs share. */
type Phase = 'preflight' | 'starting' | 'running' | 'finished' | string;

/**
 * What the re-run and replay dialogs do alike: focus the dialog itself when its plan shows
 * (focusing a button at its foot would scroll the plan out of view), bring the verdict to the
 * top when it ends, and close on Escape — except while something runs.
 */
export function useExecutionDialog(phase: Phase | undefined, close: () => void) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (phase === 'preflight') ref.current?.focus({ preventScroll: true });
    if (phase === 'finished' && ref.current) ref.current.scrollTop = 0;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && phase !== 'running' && phase !== 'starting') close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [phase, close]);
  return ref;
}
