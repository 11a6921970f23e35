import type { SluiceBridge, SluiceClient } from '../../../shared/contract';
import type { ConnectionFeed } from './connection';
import { createIpcClient } from './ipc-client';
import { createWsClient } from './ws-client';

declare global {
  interface Window {
    /** Set by Electron's preload; absent in a browser tab. */
    sluice?: SluiceBridge;
  }
}

export type Transport = 'ipc' | 'ws';

export interface ChosenClient {
  client: SluiceClient;
  transport: Transport;
  connection: ConnectionFeed;
}

const ALWAYS_OPEN: ConnectionFeed = { current: () => 'open', subscribe: () => () => {} };

/** Inside Electron the preload bridge; in a browser the WebSocket of the page's own host. */
export function chooseClient(win: Window): ChosenClient {
  if (win.sluice) return { client: createIpcClient(win.sluice), transport: 'ipc', connection: ALWAYS_OPEN };
  const scheme = win.location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = createWsClient({
    url: `${scheme}://${win.location.host}/ws`,
    // The page answers 401 once the cookie no longer matches (sluice serve restarted with a new token).
    stillAuthorized: () => win.fetch('/', { cache: 'no-store', credentials: 'same-origin' }).then((r) => r.status !== 401),
  });
  return { client: ws, transport: 'ws', connection: ws.connection };
}
