import type { CliIo } from '../cli/io';
import type { Core } from '../services';
import type { UiHandler } from './server';

/**
 * The web dashboard for `sluice serve` (static renderer + the contract over WebSocket).
 * Returns undefined while no UI is built in.
 */
export function uiFactory(_io: CliIo): ((core: Core, port: () => number) => UiHandler | null) | undefined {
  return undefined;
}
