import { err, ok, type CallInput, type CallName, type CallOutput, type CoreEvent, type Result, type SluiceClient, type WireCall } from '../../../shared/contract';
import { apiFrom } from './api-from';
import type { ConnectionFeed, ConnectionState } from './connection';

/** The part of a browser WebSocket this client uses (tests pass a stand-in). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: (() => void) | null;
  onclose: (() => void) | null;
  onerror: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export interface WsClientOptions {
  url: string;
  connect?: (url: string) => SocketLike;
  /** Asked after a failed connection: is the dashboard cookie still good? (false → stop retrying). */
  stillAuthorized?: () => Promise<boolean>;
  /** Delay before reconnect attempt n (1-based). */
  backoffMs?: (attempt: number) => number;
  /** A call unanswered this long resolves with an error instead of hanging a view. */
  callTimeoutMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * JSON from our own host. Its envelope is checked below; the value inside is what the host typed
 * from the contract for the call that asked, so it is trusted here rather than re-validated.
 */
type Json = ReturnType<typeof JSON.parse>;

const OPEN = 1;

/** The browser's WebSocket behind the `SocketLike` face. */
export function browserSocket(url: string): SocketLike {
  const ws = new WebSocket(url);
  const s: SocketLike = {
    get readyState() {
      return ws.readyState;
    },
    send: (data) => ws.send(data),
    close: (code, reason) => ws.close(code, reason),
    onopen: null,
    onclose: null,
    onerror: null,
    onmessage: null,
  };
  ws.onopen = () => s.onopen?.();
  ws.onclose = () => s.onclose?.();
  ws.onerror = () => s.onerror?.();
  ws.onmessage = (e) => s.onmessage?.({ data: e.data });
  return s;
}

function isReply(m: Json): boolean {
  return typeof m === 'object' && m !== null && typeof m.id === 'number' && typeof m.result === 'object' && m.result !== null && typeof m.result.ok === 'boolean';
}

function isEvent(m: Json): boolean {
  return typeof m === 'object' && m !== null && typeof m.event === 'object' && m.event !== null && typeof m.event.type === 'string';
}

/**
 * The browser's client for `sluice serve`: the contract over one WebSocket, reconnecting with backoff.
 * Calls made while the socket is down wait for it (up to the call timeout); a socket that drops fails
 * the calls in flight with `unavailable`, since the host may or may not have run them.
 */
export function createWsClient(o: WsClientOptions): SluiceClient & { connection: ConnectionFeed; close(): void } {
  const connect = o.connect ?? browserSocket;
  const backoff = o.backoffMs ?? ((n: number) => Math.min(5_000, 250 * 2 ** (n - 1)));
  const callTimeoutMs = o.callTimeoutMs ?? 30_000;
  const setTimer = o.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const clearTimer = o.clearTimer ?? ((h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>));

  const listeners = new Set<(e: CoreEvent) => void>();
  const stateListeners = new Set<(s: ConnectionState) => void>();
  const pending = new Map<number, { settle: (reply: Json) => void; fail: (message: string) => void; sent: boolean; frame: string }>();
  let state: ConnectionState = 'connecting';
  let socket: SocketLike | null = null;
  let nextId = 1;
  let attempts = 0;
  let closed = false;
  let retryTimer: unknown = null;

  const setState = (s: ConnectionState) => {
    if (s === state) return;
    state = s;
    for (const l of stateListeners) l(s);
  };

  function open(): void {
    if (closed) return;
    const ws = connect(o.url);
    socket = ws;
    ws.onopen = () => {
      attempts = 0;
      setState('open');
      for (const p of pending.values()) {
        if (!p.sent) {
          ws.send(p.frame);
          p.sent = true;
        }
      }
    };
    ws.onmessage = (e) => {
      let m: Json;
      try {
        m = JSON.parse(String(e.data));
      } catch {
        return;
      }
      if (isReply(m)) pending.get(m.id)?.settle(m.result);
      else if (isEvent(m)) for (const l of listeners) l(m.event);
    };
    ws.onerror = () => {};
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      for (const [id, p] of pending) {
        if (p.sent) {
          pending.delete(id);
          p.fail('Lost the connection to Sluice before it answered; try again.');
        }
      }
      if (closed) return;
      setState('reconnecting');
      attempts += 1;
      const retry = () => {
        retryTimer = setTimer(open, backoff(attempts));
      };
      if (o.stillAuthorized && attempts >= 2) {
        o.stillAuthorized().then(
          (yes) => (yes ? retry() : setState('unauthorized')),
          () => retry(),
        );
      } else retry();
    };
  }

  function call<K extends CallName>(name: K): (input: CallInput<K>) => Promise<Result<CallOutput<K>>> {
    return (input) =>
      new Promise((resolve) => {
        const id = nextId++;
        const message: WireCall = input === undefined ? { id, call: name } : { id, call: name, input };
        const timer = setTimer(() => {
          pending.delete(id);
          resolve(err('unavailable', 'Sluice did not answer in time.'));
        }, callTimeoutMs);
        const done = (r: Result<CallOutput<K>>) => {
          clearTimer(timer);
          pending.delete(id);
          resolve(r);
        };
        const entry = {
          settle: (reply: Json) => done(reply.ok ? ok(reply.value) : err(reply.error?.code ?? 'internal', String(reply.error?.message ?? 'Unknown error'))),
          fail: (msg: string) => done(err('unavailable', msg)),
          sent: false,
          frame: JSON.stringify(message),
        };
        pending.set(id, entry);
        if (state === 'unauthorized') {
          entry.fail('This dashboard session has expired: open the link `sluice serve` printed.');
        } else if (socket && socket.readyState === OPEN) {
          socket.send(entry.frame);
          entry.sent = true;
        }
      });
  }

  open();

  return {
    api: apiFrom(call),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    connection: {
      current: () => state,
      subscribe(listener) {
        stateListeners.add(listener);
        return () => stateListeners.delete(listener);
      },
    },
    close() {
      closed = true;
      if (retryTimer !== null) clearTimer(retryTimer);
      socket?.close();
      socket = null;
      for (const p of pending.values()) p.fail('The dashboard was closed.');
      pending.clear();
    },
  };
}
