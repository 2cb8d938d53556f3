import { useEffect } from 'react';
import { Catalogue } from './components/catalogue/Catalogue';
import { CanvasOverlay } from './components/CanvasOverlay';
import { DetailsPanel } from './components/DetailsPanel';
import { RejectedPanel } from './components/RejectedPanel';
import { RerunPlanDialog } from './components/rerun/RerunPlanDialog';
import { ReplayPanel } from './components/replay/ReplayPanel';
import { VersionDiffView } from './components/diff/VersionDiffView';
import { SearchPalette } from './components/SearchPalette';
import { TimeSlider } from './components/TimeSlider';
import { TopBar } from './components/TopBar';
import { LineageGraph } from './graph/LineageGraph';
import { useGraphKeyboard } from './graph/use-graph-keyboard';
import { useApp } from './state/use-app';

export function App() {
  const theme = useApp((s) => s.theme);
  const connectLive = useApp((s) => s.connectLive);
  const panel = useApp((s) => s.panel);
  const mainView = useApp((s) => s.mainView);
  useGraphKeyboard();
  // The first load starts in main.tsx, before React renders; here only the live updates.
  useEffect(() => connectLive(), [connectLive]);
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
        <section className="canvas" hidden={mainView !== 'graph'}>
          <LineageGraph />
          <CanvasOverlay />
        </section>
        {mainView === 'catalogue' && (
          <section className="catalogue-area">
            <Catalogue />
          </section>
        )}
        {panel === 'rejected' ? <RejectedPanel /> : <DetailsPanel />}
      </main>
      <TimeSlider />
      <RerunPlanDialog />
      <ReplayPanel />
      <VersionDiffView />
      <SearchPalette />
    </div>
  );
}
