import { err, type CallInput, type CallName, type CallOutput, type Result, type SluiceApi, type SluiceBridge, type SluiceClient } from '../../../shared/contract';
import { apiFrom } from './api-from';

/**
 * The client inside Electron: the preload's `window.sluice` bridge. Main answers with `Result`s; a
 * rejected IPC promise (main gone, handler missing) is turned into one too, so views see one shape.
 */
export function createIpcClient(bridge: SluiceBridge): SluiceClient {
  const calls: SluiceApi = bridge;
  const api = apiFrom(<K extends CallName>(call: K) => {
    const fn: (input: CallInput<K>) => Promise<Result<CallOutput<K>>> = calls[call];
    return (input: CallInput<K>) => fn.call(bridge, input).catch((e: unknown) => err<CallOutput<K>>('unavailable', `Sluice's main process did not answer: ${(e as Error).message ?? String(e)}`));
  });
  return { api, subscribe: (listener) => bridge.onEvent(listener) };
}
