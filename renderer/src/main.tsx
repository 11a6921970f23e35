import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { chooseClient } from './client/choose-client';
import { createAppStore } from './state/store';
import { StoreProvider } from './state/store-context';
import { browserNotifier } from './state/notify';
import { App } from './ui/App';
import { DispatchView } from './ui/dispatch/DispatchView';
import { parseFocus } from './state/focus';
import './styles/app.css';

const { client, transport, connection } = chooseClient(window);
const root = document.getElementById('root');
// Electron main loads this page as `?view=popover` or `?view=dispatch`; a browser tab is the popover.
const view = new URLSearchParams(window.location.search).get('view');

if (root && view === 'dispatch') {
  createRoot(root).render(
    <StrictMode>
      <DispatchView api={client.api} close={() => window.close()} />
    </StrictMode>,
  );
} else if (root) {
  const store = createAppStore({
    client,
    transport,
    connection,
    // Inside Electron, main shows native notifications; a browser tab uses the Notification API.
    notify: transport === 'ws' ? browserNotifier(typeof Notification === 'undefined' ? undefined : Notification) : undefined,
  });
  store.start();
  // A notification opens the popover on its item by changing the hash (no reload).
  const applyHash = () => store.getState().focusOn(parseFocus(window.location.hash));
  applyHash();
  window.addEventListener('hashchange', applyHash);
  createRoot(root).render(
    <StrictMode>
      <StoreProvider store={store}>
        <App />
      </StoreProvider>
    </StrictMode>,
  );
}
