import { useEffect } from 'react';
import { CanvasOverlay } from './components/CanvasOverlay';
import { DetailsPanel } from './components/DetailsPanel';
import { RejectedPanel } from './components/RejectedPanel';
import { RerunPlanDialog } from './components/rerun/RerunPlanDialog';
import { TimeSlider } from './components/TimeSlider';
import { TopBar } from './components/TopBar';
import { LineageGraph } from './graph/LineageGraph';
import { useApp } from './state/use-app';

export function App() {
  const theme = useApp((s) => s.theme);
  const load = useApp((s) => s.load);
  const connectLive = useApp((s) => s.connectLive);
  const panel = useApp((s) => s.panel);
  useEffect(() => {
    void load();
    return connectLive();
  }, [load, connectLive]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    try {
      localStorage.setItem('retrace.theme', theme);
    } catch {
      // Storage can be disabled; the theme then lasts for this session only.
    }
  }, [theme]);
  return (
    <div className="app" data-testid="app">
      <TopBar />
      <main className="workspace-view">
        <section className="canvas">
          <LineageGraph />
          <CanvasOverlay />
        </section>
        {panel === 'rejected' ? <RejectedPanel /> : <DetailsPanel />}
      </main>
      <TimeSlider />
      <RerunPlanDialog />
    </div>
  );
}
