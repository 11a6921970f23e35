/**
 * What the gateway writes an answer to: Node's ServerResponse, or a lean connection's response
 * (host/lean-http.ts). The part of ServerResponse the gateway uses, and nothing more.
 */
export interface ResponseSink {
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  readonly writableFinished: boolean;
  readonly destroyed: boolean;
  /** Headers as a flat name, value… list, or an object. */
  writeHead(status: number, headers?: string[] | Readonly<Record<string, string | number>>): unknown;
  write(chunk: Uint8Array | string): boolean;
  end(chunk?: Uint8Array | string): unknown;
  destroy(): unknown;
  on(event: 'close' | 'drain', listener: () => void): unknown;
  once(event: 'close' | 'drain', listener: () => void): unknown;
  off(event: 'close' | 'drain', listener: () => void): unknown;
}
