import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { pickClient } from './api/pick-client';
import { createAppStore, type Theme } from './state/app-store';
import { StoreContext } from './state/use-app';
import './styles.css';

function initialTheme(): Theme {
  try {
    const saved = localStorage.getItem('retrace.theme');
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // fall through to the system preference
  }
  return matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

const store = createAppStore(pickClient(), initialTheme());
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
