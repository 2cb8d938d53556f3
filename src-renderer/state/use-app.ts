import { createContext, useContext } from 'react';
import { useStore, type StoreApi } from 'zustand';
import type { AppState } from './app-store';

export const StoreContext = createContext<StoreApi<AppState> | null>(null);

/** React access to the one store: `useApp(s => s.selectedId)`. Select primitives. */
export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(useStoreApi(), selector);
}

/** The store itself, for code that subscribes outside React's render (the canvas controller). */
export function useStoreApi(): StoreApi<AppState> {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useApp must be used inside <StoreContext.Provider>.');
  return store;
}
