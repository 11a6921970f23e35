import { describe, expect, it } from 'vitest';
import { createWsClient, type SocketLike } from '../../../renderer/src/client/ws-client';
import type { CoreEvent } from '../../../shared/contract';
import { manualScheduler } from '../support/manual-scheduler';
import { budget } from '../support/fixtures';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
  reply(m: unknown) {
    this.onmessage?.({ data: JSON.stringify(m) });
  }
}

function setup(o: { stillAuthorized?: () => Promise<boolean> } = {}) {
  const sockets: FakeSocket[] = [];
  const scheduler = manualScheduler();
  const client = createWsClient({
    url: 'ws://127.0.0.1:4680/ws',
    connect: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    setTimer: scheduler.setTimeout,
    clearTimer: scheduler.clearTimeout,
    callTimeoutMs: 5_000,
    ...o,
  });
  return { client, sockets, scheduler, last: () => sockets[sockets.length - 1] as FakeSocket };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('the WebSocket client', () => {
  it('holds calls until the socket opens, then matches answers to calls by id', async () => {
    const { client, last } = setup();
    const a = client.api.getSettings();
    const b = client.api.listRequests({ day: '2026-11-28' });
    expect(last().sent).toEqual([]);
    last().open();
    expect(last().sent).toEqual([
      { id: 1, call: 'getSettings' },
      { id: 2, call: 'listRequests', input: { day: '2026-11-28' } },
    ]);
    last().reply({ id: 2, result: { ok: true, value: [] } });
    last().reply({ id: 1, result: { ok: false, error: { code: 'internal', message: 'nope' } } });
    expect(await b).toEqual({ ok: true, value: [] });
    expect(await a).toEqual({ ok: false, error: { code: 'internal', message: 'nope' } });
  });

  it('delivers pushed events to subscribers and ignores garbage', () => {
    const { client, last } = setup();
    const seen: CoreEvent[] = [];
    client.subscribe((e) => seen.push(e));
    last().open();
    last().onmessage?.({ data: 'not json' });
    last().reply({ something: 'else' });
    last().reply({ event: { type: 'budget', budget: budget() } });
    expect(seen.map((e) => e.type)).toEqual(['budget']);
  });

  it('fails calls in flight when the socket drops, reconnects with backoff and reports its state', async () => {
    const { client, sockets, last, scheduler } = setup();
    const states: string[] = [];
    client.connection.subscribe((s) => states.push(s));
    last().open();
    const inFlight = client.api.getOverview();
    last().drop();
    expect(await inFlight).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(sockets).toHaveLength(1);
    scheduler.advance(250);
    expect(sockets).toHaveLength(2);
    const later = client.api.getOverview();
    last().open();
    expect(last().sent).toEqual([{ id: 2, call: 'getOverview' }]);
    last().reply({ id: 2, result: { ok: true, value: 'x' } });
    expect(await later).toEqual({ ok: true, value: 'x' });
    expect(states).toEqual(['open', 'reconnecting', 'open']);
  });

  it('stops retrying once the page says the dashboard link is stale', async () => {
    const { client, sockets, last, scheduler } = setup({ stillAuthorized: async () => false });
    last().drop();
    scheduler.advance(250);
    last().drop();
    await flush();
    expect(client.connection.current()).toBe('unauthorized');
    scheduler.advance(60_000);
    expect(sockets).toHaveLength(2);
    expect(await client.api.getOverview()).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('answers a call the host never answers with an error after the timeout', async () => {
    const { client, last, scheduler } = setup();
    last().open();
    const call = client.api.getOverview();
    scheduler.advance(5_000);
    expect(await call).toEqual({ ok: false, error: { code: 'unavailable', message: 'Sluice did not answer in time.' } });
  });
});
