import { createContext, useContext } from 'react';
import { useStore, type StoreApi } from 'zustand';
import type { AppState } from './app-store';

export const StoreContext = createContext<StoreApi<AppState> | null>(null);

/** React access to the one store: `useApp(s => s.selectedId)`. Select primitives. */
export function useApp<T>(selector: (s: AppState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useApp must be used inside <StoreContext.Provider>.');
  return useStore(store, selector);
}
