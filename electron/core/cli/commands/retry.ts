import type { CliCommand } from '../io';
import { EXIT_FAILURE, UsageError } from '../io';
import { oneOf, parse } from '../args';
import { openCore } from '../context';
import type { Tier } from '../../../../shared/contract';
import { TaskStore } from '../../runner/task-store';
import { retryTask } from '../../runner/retry';
import { runnerAlive } from '../../runner/ownership';

const USAGE = 'sluice retry ID [--tier fast|strong] [--json] [--data-dir DIR]';

/** Runs a finished fast- or local-tier task again on a stronger tier; the router learns the first try fell short. */
export const retry: CliCommand = async (args, io) => {
  const { values, positionals } = parse(args, { tier: { type: 'string' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' } }, USAGE);
  if (positionals.length !== 1) throw new UsageError(`Give one task id. Usage: ${USAGE}`);
  const tier = oneOf<Tier>(values.tier, ['fast', 'strong'], '--tier');
  const core = openCore(io, { dataDir: values['data-dir'] });
  try {
    const store = new TaskStore(core.db, () => core.clock.now());
    const r = retryTask(store, core.settings.get().routing, (o) => core.outcomes.record(o), positionals[0] as string, tier, core.clock.now());
    if (!r.ok) {
      if (r.error.code === 'bad_input' || r.error.code === 'not_found') throw new UsageError(r.error.message);
      io.stderr(`sluice retry: ${r.error.message}\n`);
      return EXIT_FAILURE;
    }
    const t = r.value;
    if (values.json) {
      io.stdout(JSON.stringify(store.rows([t])[0], null, 2) + '\n');
      return 0;
    }
    const who = runnerAlive(core.settings, core.clock.now())
      ? 'The running Sluice host will start it; follow it with `sluice ps`.'
      : 'No Sluice host is running: start `sluice serve` (or the app) and it picks the task up.';
    io.stdout(`Queued ${t.id} on the ${t.tier} tier (${t.model}), a retry of ${t.retryOf}.\n${t.routeReason ? `Route: ${t.routeReason}\n` : ''}${who}\n`);
    return 0;
  } finally {
    core.close();
  }
};
