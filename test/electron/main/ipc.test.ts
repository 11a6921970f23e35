import { describe, expect, it } from 'vitest';
import { CALL_NAMES, ok, type Result } from '../../../shared/contract';
import { createIpcGate, registerIpc, type IpcEventLike, type IpcMainPort, type SenderPolicy } from '../../../electron/main/ipc';
import { isRendererUrl } from '../../../electron/main/renderer-url';
import { callChannel } from '../../../electron/preload/channels';
import { silentLogger, type Logger } from '../../../electron/core/log';
import { fakeApi } from '../fake-api';

const INDEX = '/Applications/Sluice.app/Contents/Resources/app.asar/dist/renderer/index.html';
const OUR_PAGE = 'file:///Applications/Sluice.app/Contents/Resources/app.asar/dist/renderer/index.html?view=popover#focus=budget';
const POPOVER_ID = 7;

const policy: SenderPolicy = { isOurWebContents: (id) => id === POPOVER_ID, isOurPage: (url) => isRendererUrl(url, INDEX) };

function event(o: { id?: number; url?: string; parent?: unknown; frame?: 'none' } = {}): IpcEventLike {
  return {
    sender: { id: o.id ?? POPOVER_ID },
    senderFrame: o.frame === 'none' ? null : { url: o.url ?? OUR_PAGE, parent: o.parent ?? null },
  };
}

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (level, message, fields) => lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`) };
}

describe('the IPC gate', () => {
  it('passes a call from our window main frame showing our page to the API, with its input', async () => {
    const passed: unknown[] = [];
    const { api } = fakeApi({ listRequests: async (input) => (passed.push(input), ok([])) });
    const result = await createIpcGate(api, policy, silentLogger)(callChannel('listRequests'), event(), [{ model: 'claude-sonnet-4-6', limit: 20 }]);
    expect(result).toEqual({ ok: true, value: [] });
    expect(passed).toEqual([{ model: 'claude-sonnet-4-6', limit: 20 }]);
  });

  it('accepts our page whatever its query and hash (dispatch window, focused item)', async () => {
    const { api, calls } = fakeApi();
    const gate = createIpcGate(api, policy, silentLogger);
    await gate(callChannel('getOverview'), event({ url: OUR_PAGE.replace('view=popover', 'view=dispatch').replace('#focus=budget', '') }), []);
    expect(calls.map((c) => c.call)).toEqual(['getOverview']);
  });

  it('refuses a window Sluice did not open', async () => {
    const { api, calls } = fakeApi();
    const log = recordingLog();
    const result = await createIpcGate(api, policy, log)(callChannel('getSettings'), event({ id: 99 }), []);
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
    expect(log.lines.join('\n')).toContain('did not open');
  });

  it('refuses a sub-frame, even inside our own window', async () => {
    const { api, calls } = fakeApi();
    const result = await createIpcGate(api, policy, silentLogger)(callChannel('getSettings'), event({ parent: { url: OUR_PAGE } }), []);
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it('refuses a frame that has navigated away or been destroyed', async () => {
    const { api, calls } = fakeApi();
    const result = await createIpcGate(api, policy, silentLogger)(callChannel('getSettings'), event({ frame: 'none' }), []);
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('gone') } });
    expect(calls).toEqual([]);
  });

  it.each([
    ['a remote page', 'https://evil.example/index.html'],
    ['another local file', 'file:///tmp/dist/renderer/index.html'],
    ['a sibling file of our page', 'file:///Applications/Sluice.app/Contents/Resources/app.asar/dist/renderer/other.html'],
    ['a data: URL', 'data:text/html,<script>1</script>'],
    ['devtools', 'devtools://devtools/bundled/inspector.html'],
  ])('refuses %s in our window', async (_what, url) => {
    const { api, calls } = fakeApi();
    const result = await createIpcGate(api, policy, silentLogger)(callChannel('setApiKey'), event({ url }), [{ key: 'sk-ant-x' }]);
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it.each(['sluice:call:evalInMain', 'sluice:call:', 'sluice:event', 'ELECTRON_BROWSER_REQUIRE', 'sluice:call:toString', 'sluice:call:constructor'])(
    'refuses the unknown channel %s',
    async (channel) => {
      const { api, calls } = fakeApi();
      const result = await createIpcGate(api, policy, silentLogger)(channel, event(), []);
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('Unknown call') } });
      expect(calls).toEqual([]);
    },
  );

  it('checks the input against the contract before the API sees it', async () => {
    const { api, calls } = fakeApi();
    const result = await createIpcGate(api, policy, silentLogger)(callChannel('controlTask'), event(), [{ id: 't1', action: 'rm -rf' }]);
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(calls).toEqual([]);
  });

  it('refuses extra arguments', async () => {
    const { api, calls } = fakeApi();
    const result = await createIpcGate(api, policy, silentLogger)(callChannel('getOverview'), event(), [undefined, 'extra']);
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(calls).toEqual([]);
  });

  it('turns a throwing API into an error value with the reason', async () => {
    const { api } = fakeApi({
      getOverview: async () => {
        throw new Error('database is locked');
      },
    });
    const result = await createIpcGate(api, policy, silentLogger)(callChannel('getOverview'), event(), []);
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'Sluice could not complete getOverview: database is locked' } });
  });
});

describe('registering the handlers', () => {
  class FakeIpcMain implements IpcMainPort {
    readonly handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => Promise<Result<unknown>>>();
    handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<Result<unknown>>): void {
      if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      this.handlers.set(channel, listener);
    }
    removeHandler(channel: string): void {
      this.handlers.delete(channel);
    }
  }

  it('registers exactly one channel per contract call, each through the gate', async () => {
    const ipcMain = new FakeIpcMain();
    const { api, calls } = fakeApi();
    registerIpc(ipcMain, createIpcGate(api, policy, silentLogger));
    expect([...ipcMain.handlers.keys()].sort()).toEqual(CALL_NAMES.map((n) => `sluice:call:${n}`).sort());
    await ipcMain.handlers.get('sluice:call:pauseAll')!(event({ id: 99 }));
    expect(calls).toEqual([]);
    await ipcMain.handlers.get('sluice:call:pauseAll')!(event());
    expect(calls.map((c) => c.call)).toEqual(['pauseAll']);
  });

  it('removes every handler when undone', () => {
    const ipcMain = new FakeIpcMain();
    const undo = registerIpc(ipcMain, createIpcGate(fakeApi().api, policy, silentLogger));
    undo();
    expect(ipcMain.handlers.size).toBe(0);
  });
});
