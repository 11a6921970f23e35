import { render } from '@testing-library/react';
import { createAppStore, type AppStore, type Tab } from '../../../renderer/src/state/store';
import { StoreProvider } from '../../../renderer/src/state/store-context';
import { App } from '../../../renderer/src/ui/App';
import type { Notify } from '../../../renderer/src/state/notify';
import type { FakeCore } from './fake-client';

/** The whole popover over a fake core, opened on `tab`; a fresh store per test. */
export function renderPopover(core: FakeCore, o: { tab?: Tab; notify?: Notify; transport?: 'ipc' | 'ws' } = {}): { store: AppStore; stop: () => void } {
  const store = createAppStore({ client: core.client, transport: o.transport ?? 'ipc', notify: o.notify, renderIntervalMs: 0 });
  const stop = store.start();
  if (o.tab && o.tab !== 'now') store.getState().setTab(o.tab);
  render(
    <StoreProvider store={store}>
      <App />
    </StoreProvider>,
  );
  return { store, stop };
}
