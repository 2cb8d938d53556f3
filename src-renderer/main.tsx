import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { BRIDGE_GLOBAL } from '../shared/bridge';
import { pickClient } from './api/pick-client';
import { installAutomation } from './graph/automation';
import { loadCanvasModule } from './graph/canvas-module';
import { ControllerSlot, GraphControllerContext } from './graph/controller-context';
import { createAppStore } from './state/app-store';
import type { Theme } from './state/theme';
import { StoreContext } from './state/use-app';
import { initialUrlView, syncUrl } from './state/url-sync';
import './styles/base.css';
import './styles/panels.css';
import './styles/graph.css';
import './styles/inspector.css';
import './styles/catalogue.css';

function initialTheme(): Theme {
  try {
    const saved = localStorage.getItem('retrace.theme');
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // fall through to the system preference
  }
  return matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

performance.mark('retrace:script');
void loadCanvasModule();
const client = pickClient();
const store = createAppStore(client, initialTheme());
const controller = new ControllerSlot();
// The web shell: view state in the address bar, and a read-only handle for automation.
if (!(BRIDGE_GLOBAL in globalThis)) {
  syncUrl(store);
  installAutomation(window, store, controller);
}
// Ask for the graph before React renders: the request runs while the page builds itself.
// A link with a view in its fragment opens that view; otherwise the newest graph.
if (window.location.hash.length > 1) void store.getState().applyUrlView(initialUrlView());
else void store.getState().load();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <GraphControllerContext.Provider value={controller}>
        <App />
      </GraphControllerContext.Provider>
    </StoreContext.Provider>
  </StrictMode>,
);
