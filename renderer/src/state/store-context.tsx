import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { App, AppStore } from './store';

const StoreContext = createContext<AppStore | null>(null);

/** One store per popover (and per test), handed down instead of a module-level singleton. */
export function StoreProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/** Reads a slice of the store; the component renders again only when that slice changes (shallowly). */
export function useApp<T>(selector: (s: App) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useApp needs a <StoreProvider store={…}> above it.');
  return useStore(store, useShallow(selector));
}
