import type { CallInput, CallName, CallOutput, Result, SluiceApi } from '../../../shared/contract';
import { validateInput } from '../../../shared/contract-validate';

/**
 * Calls `api[call]` with an input that arrived untyped (a WebSocket frame, an IPC message). The input
 * is validated here so it can be typed without a cast; the API validates again, cheaply, on its side.
 */
export async function invoke<K extends CallName>(api: SluiceApi, call: K, input: unknown): Promise<Result<CallOutput<K>>> {
  const checked = validateInput(call, input);
  if (!checked.ok) return checked;
  const fn: (input: CallInput<K>) => Promise<Result<CallOutput<K>>> = api[call];
  return fn(checked.value);
}
