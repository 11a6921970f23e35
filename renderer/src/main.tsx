import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { chooseClient } from './client/choose-client';
import { createAppStore } from './state/store';
import { StoreProvider } from './state/store-context';
import { browserNotifier } from './state/notify';
import { App } from './ui/App';
import './styles/app.css';

const { client, transport, connection } = chooseClient(window);
const store = createAppStore({
  client,
  transport,
  connection,
  // Inside Electron, main shows native notifications; a browser tab uses the Notification API.
  notify: transport === 'ws' ? browserNotifier(typeof Notification === 'undefined' ? undefined : Notification) : undefined,
});
store.start();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <StoreProvider store={store}>
        <App />
      </StoreProvider>
    </StrictMode>,
  );
}
