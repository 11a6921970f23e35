import { CALL_NAMES, err, type CallName, type Result, type SluiceApi } from '../../shared/contract';
import { isCallName, validateInput } from '../../shared/contract-validate';
import { CALL_CHANNEL_PREFIX, callChannel } from '../preload/channels';
import type { Logger } from '../core/log';

/** What the wrapper reads from an IPC event: who sent it, from which frame. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}
export interface IpcEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: SenderFrame | null;
}

export interface IpcMainPort {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<Result<unknown>>): void;
  removeHandler(channel: string): void;
}

/** Who may call: the main frame of one of our windows, showing our own page. */
export interface SenderPolicy {
  isOurWebContents(id: number): boolean;
  isOurPage(url: string): boolean;
}

/** Why a message was refused, or null when it may pass. */
export function refusal(event: IpcEventLike, policy: SenderPolicy): string | null {
  const frame = event.senderFrame;
  // Null once the frame navigated away or was destroyed: nobody left to trust.
  if (!frame) return 'the sending frame is gone';
  if (frame.parent !== null) return 'a sub-frame sent it';
  if (!policy.isOurWebContents(event.sender.id)) return 'it came from a window Sluice did not open';
  if (!policy.isOurPage(frame.url)) return `it came from a page that is not Sluice's (${frame.url.slice(0, 80)})`;
  return null;
}

/**
 * The one gate every IPC message passes (VS Code's validated ipcMain does the same): unknown
 * channels and foreign senders are refused with an error value, a known call reaches the API with
 * its single argument, and a throw becomes an `internal` error instead of Electron's opaque
 * "Error invoking remote method".
 */
export function createIpcGate(api: SluiceApi, policy: SenderPolicy, log: Logger) {
  return async function pass(channel: string, event: IpcEventLike, args: readonly unknown[]): Promise<Result<unknown>> {
    const name = channel.startsWith(CALL_CHANNEL_PREFIX) ? channel.slice(CALL_CHANNEL_PREFIX.length) : '';
    if (!isCallName(name)) {
      log.log('warn', 'refused an IPC message on an unknown channel', { channel });
      return err('forbidden', `Unknown call "${channel}".`);
    }
    const why = refusal(event, policy);
    if (why) {
      log.log('warn', 'refused an IPC message', { channel, reason: why });
      return err('forbidden', `Sluice refused the call: ${why}.`);
    }
    if (args.length > 1) return err('bad_input', `${name} takes one argument.`);
    try {
      return await invoke(api, name, args[0]);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      log.log('error', 'an IPC call threw', { call: name, error: message });
      return err('internal', `Sluice could not complete ${name}: ${message}`);
    }
  };
}

/** The renderer's input is checked against the contract before any API sees it. */
async function invoke<K extends CallName>(api: SluiceApi, name: K, input: unknown): Promise<Result<unknown>> {
  const checked = validateInput(name, input);
  if (!checked.ok) return checked;
  return api[name](checked.value);
}

/** Registers one handler per contract call, all through the gate. Returns the undo. */
export function registerIpc(ipcMain: IpcMainPort, gate: ReturnType<typeof createIpcGate>): () => void {
  const channels = CALL_NAMES.map((name) => callChannel(name));
  for (const channel of channels) ipcMain.handle(channel, (event, ...args) => gate(channel, event, args));
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
