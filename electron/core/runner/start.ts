import type { Core } from '../services';
import { Runner, type RunnerOptions } from './runner';

/**
 * Starts the agent runner on a core whose gateway listens at `gatewayUrl`. It picks up tasks already
 * queued in the ledger (and ones other processes queue later), and marks tasks a dead process was
 * running as interrupted. Call `stop()` before closing the core.
 *
 * Finished and failed tasks teach the router (`core.outcomes`): whether work like this succeeded on the
 * tier it was given.
 */
export function startRunner(core: Core, opts: RunnerOptions): Runner {
  const learned = new Set<string>();
  core.events.subscribe((e) => {
    if (e.type !== 'task' || learned.has(e.task.id) || (e.task.state !== 'done' && e.task.state !== 'failed') || !e.task.tier) return;
    // A batch answered (or refused) says nothing about whether the tier was enough; the user's rating does.
    if (e.task.deferrable) return;
    learned.add(e.task.id);
    core.outcomes.record({ prompt: e.task.prompt, tier: e.task.tier === 'strong' ? 'strong' : 'weak', succeeded: e.task.state === 'done', at: core.clock.now(), taskId: e.task.id, source: 'finished' });
  });
  return new Runner(core, opts).start();
}
