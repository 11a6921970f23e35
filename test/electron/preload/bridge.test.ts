import { describe, expect, it } from 'vitest';
import { CALL_NAMES, ok, type CallInput, type CallName, type CallOutput, type CoreEvent, type Result, type SluiceApi } from '../../../shared/contract';
import { createBridge, type IpcRendererPort } from '../../../electron/preload/bridge';
import { EVENT_CHANNEL, type CallChannel } from '../../../electron/preload/channels';

type EventListener = (event: unknown, payload: CoreEvent) => void;

/** ipcRenderer as the sandboxed preload sees it: invoke records, `emit` delivers like main's send. */
class FakeIpcRenderer implements IpcRendererPort {
  readonly invoked: { channel: string; input: unknown }[] = [];
  readonly listeners = new Set<EventListener>();
  /** What "main" answers per channel; the fake trusts the test to match the contract, as main does. */
  readonly answers = new Map<string, Result<unknown>>();
  async invoke<K extends CallName>(channel: CallChannel<K>, input: CallInput<K>): Promise<Result<CallOutput<K>>> {
    this.invoked.push({ channel, input });
    return (this.answers.get(channel) ?? { ok: false, error: { code: 'unavailable', message: channel } }) as Result<CallOutput<K>>;
  }
  on(channel: typeof EVENT_CHANNEL, listener: EventListener): void {
    expect(channel).toBe(EVENT_CHANNEL);
    this.listeners.add(listener);
  }
  removeListener(_channel: typeof EVENT_CHANNEL, listener: EventListener): void {
    this.listeners.delete(listener);
  }
  emit(payload: CoreEvent): void {
    const ipcEvent = { sender: { send: () => 'the ipcRenderer itself' }, senderId: 0 };
    for (const l of this.listeners) l(ipcEvent, payload);
  }
}

describe('the preload bridge (window.sluice)', () => {
  it('has exactly one method per contract call, plus onEvent: no generic invoke, no send', () => {
    const bridge = createBridge(new FakeIpcRenderer());
    expect(Object.keys(bridge).sort()).toEqual([...CALL_NAMES, 'onEvent'].sort());
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
  });

  it("sends each call on its own channel with the caller's input", async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    await bridge.controlTask({ id: 't1', action: 'pause' });
    await bridge.getOverview();
    await bridge.listRequests({ hour: 13 });
    expect(ipc.invoked).toEqual([
      { channel: 'sluice:call:controlTask', input: { id: 't1', action: 'pause' } },
      { channel: 'sluice:call:getOverview', input: undefined },
      { channel: 'sluice:call:listRequests', input: { hour: 13 } },
    ]);
  });

  it('answers with the Result main sent', async () => {
    const ipc = new FakeIpcRenderer();
    ipc.answers.set('sluice:call:recentProjects', ok(['/code/shop']));
    const bridge = createBridge(ipc);
    expect(await bridge.recentProjects()).toEqual({ ok: true, value: ['/code/shop'] });
    expect(await bridge.pauseAll()).toEqual({ ok: false, error: { code: 'unavailable', message: 'sluice:call:pauseAll' } });
  });

  it('hands the page only the event payload, never the IPC event (which leaks ipcRenderer)', () => {
    const ipc = new FakeIpcRenderer();
    const seen: unknown[][] = [];
    createBridge(ipc).onEvent((...args: unknown[]) => seen.push(args));
    ipc.emit({ type: 'models-changed' });
    expect(seen).toEqual([[{ type: 'models-changed' }]]);
  });

  it('stops delivering after unsubscribe, leaving other subscribers alone', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc);
    const a: CoreEvent[] = [];
    const b: CoreEvent[] = [];
    const offA = bridge.onEvent((e) => a.push(e));
    bridge.onEvent((e) => b.push(e));
    offA();
    ipc.emit({ type: 'agents-changed' });
    expect(a).toEqual([]);
    expect(b).toEqual([{ type: 'agents-changed' }]);
    expect(ipc.listeners.size).toBe(1);
  });

  it('is usable wherever the contract API is expected (the renderer client takes it as SluiceApi)', () => {
    const api: SluiceApi = createBridge(new FakeIpcRenderer());
    expect(typeof api.pauseAll).toBe('function');
  });
});
