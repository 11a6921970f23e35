import path from 'node:path';
import type { CliCommand } from '../io';
import { UsageError } from '../io';
import { oneOf, parse, positiveNumber } from '../args';
import { openCore } from '../context';
import type { Priority, Tier } from '../../../../shared/contract';
import { TaskStore } from '../../runner/task-store';
import { enqueueTask } from '../../runner/enqueue';
import { runnerAlive } from '../../runner/ownership';
import { submissionWindow } from '../../coordinator/batches/window';

const USAGE =
  'sluice dispatch "task" [--project DIR] [--model M | --tier local|fast|strong] [--cap-usd N] [--priority high|normal|low] [--in-place | --deferrable] [--json] [--data-dir DIR]';

/** Queues a task in the ledger; the host (`sluice serve` or the app) runs it. */
export const dispatch: CliCommand = async (args, io) => {
  const { values, positionals } = parse(
    args,
    {
      project: { type: 'string' },
      model: { type: 'string' },
      tier: { type: 'string' },
      'cap-usd': { type: 'string' },
      priority: { type: 'string' },
      'in-place': { type: 'boolean' },
      deferrable: { type: 'boolean' },
      json: { type: 'boolean' },
      'data-dir': { type: 'string' },
    },
    USAGE,
  );
  const prompt = positionals.length > 0 ? positionals.join(' ') : (await io.readStdin()).trim();
  if (prompt.trim() === '') throw new UsageError(`Say what the agent should do. Usage: ${USAGE}`);
  const capUsd = positiveNumber(values['cap-usd'], '--cap-usd');
  if (capUsd === 0) throw new UsageError('--cap-usd must be above 0.');
  if (values.model !== undefined && values.tier !== undefined) throw new UsageError('Give --model or --tier, not both.');
  const priority = oneOf<Priority>(values.priority, ['high', 'normal', 'low'], '--priority');
  const tier = oneOf<Tier>(values.tier, ['local', 'fast', 'strong'], '--tier');
  const deferrable = values.deferrable === true;
  if (deferrable && values['in-place']) throw new UsageError('--deferrable and --in-place do not go together: a deferrable task is one request in a batch and works in no folder.');
  if (deferrable && tier === 'local') throw new UsageError('--deferrable and --tier local do not go together: batches run at Anthropic; use --tier fast or strong.');

  const core = openCore(io, { dataDir: values['data-dir'] });
  try {
    const store = new TaskStore(core.db, () => core.clock.now());
    const r = enqueueTask(store, core.settings.get().routing, {
      prompt,
      project: path.resolve(io.cwd, values.project ?? '.'),
      ...(values.model !== undefined ? { model: values.model } : {}),
      ...(tier ? { tier } : {}),
      ...(capUsd !== undefined ? { capUsd } : {}),
      ...(priority ? { priority } : {}),
      inPlace: values['in-place'] ?? false,
      ...(deferrable ? { deferrable } : {}),
    }, (p) => core.outcomes.odds(p));
    if (!r.ok) throw new UsageError(r.error.message);
    const row = store.rows([r.value])[0];
    if (values.json) {
      io.stdout(JSON.stringify(row, null, 2) + '\n');
      return 0;
    }
    const t = r.value;
    const alive = runnerAlive(core.settings, core.clock.now());
    if (deferrable) {
      io.stdout(`Queued ${t.id} as a deferrable task: one request to ${t.model} in a Message Batch at 50% off (${t.project}).\n${deferredWhen(core.settings.get(), core.clock.now())}\n${alive ? `Follow it with \`sluice ps ${t.id}\`; read the answer with \`sluice answer ${t.id}\`.` : 'No Sluice host is running: start `sluice serve` (or the app) and it queues the request.'}\n`);
      return 0;
    }
    const who = alive
      ? 'The running Sluice host will start it; follow it with `sluice ps`.'
      : 'No Sluice host is running: start `sluice serve` (or the app) and it picks the task up.';
    io.stdout(`Queued ${t.id} (priority ${t.priority}, ${t.model}${t.capMicros !== null ? `, cap $${(t.capMicros / 1e6).toFixed(2)}` : ''}) in ${t.project}.\n${t.routeReason ? `Route: ${t.routeReason}\n` : ''}${who}\n`);
    return 0;
  } finally {
    core.close();
  }
};

function deferredWhen(s: { timeZone: string; offPeak: { start: string; end: string } | null }, now: number): string {
  const w = submissionWindow(now, s.timeZone, s.offPeak);
  return w.open ? 'It is submitted at once; the answer comes within 24 h.' : `It is submitted in the off-peak window ${s.offPeak?.start}–${s.offPeak?.end} (${s.timeZone}); the answer comes within 24 h of that.`;
}
