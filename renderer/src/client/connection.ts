/** How the UI is connected to the core, for the status line. IPC is always 'open'. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized';

export interface ConnectionFeed {
  current(): ConnectionState;
  subscribe(listener: (state: ConnectionState) => void): () => void;
}
