import type { Core } from '../services';
import { Runner, type RunnerOptions } from './runner';

/**
 * Starts the agent runner on a core whose gateway listens at `gatewayUrl`. It picks up tasks already
 * queued in the ledger (and ones other processes queue later), and marks tasks a dead process was
 * running as interrupted. Call `stop()` before closing the core.
 */
export function startRunner(core: Core, opts: RunnerOptions): Runner {
  return new Runner(core, opts).start();
}
