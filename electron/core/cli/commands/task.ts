import type { CliCommand, CliIo } from '../io';
import { EXIT_FAILURE, UsageError } from '../io';
import { parse, positiveNumber } from '../args';
import { openCore } from '../context';
import { formatUsd, usdToMicros } from '../../../../shared/money';
import type { TaskAction } from '../../../../shared/contract';
import type { Core } from '../../services';
import { TaskStore } from '../../runner/task-store';
import { controlStoredTask } from '../../runner/control';
import { discardTask, mergeTask, taskDiff } from '../../runner/branch-ops';
import { heldElsewhere } from '../../runner/ownership';
import { stateLabel } from './ps';

/** Opens the ledger, resolves the task id (a unique prefix will do) and runs `f`. */
async function withTask(args: readonly string[], io: CliIo, usage: string, extra: Record<string, { type: 'string' | 'boolean' }>, f: (ctx: { core: Core; store: TaskStore; id: string; values: Record<string, string | boolean | undefined> }) => Promise<number>): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, 'data-dir': { type: 'string' }, ...extra }, usage);
  if (positionals.length !== 1) throw new UsageError(`Give one task id. Usage: ${usage}`);
  const core = openCore(io, { dataDir: values['data-dir'] as string | undefined });
  try {
    const store = new TaskStore(core.db, () => core.clock.now());
    const id = store.resolve(positionals[0] as string);
    if (!id.ok) throw new UsageError(id.message);
    return await f({ core, store, id: id.id, values });
  } finally {
    core.close();
  }
}

function control(action: TaskAction): CliCommand {
  const usage = action === 'resume' ? 'sluice resume ID [--cap-usd N] [--json]' : `sluice ${action} ID [--json]`;
  return (args, io) =>
    withTask(args, io, usage, action === 'resume' ? { 'cap-usd': { type: 'string' } } : {}, async ({ core, store, id, values }) => {
      const cap = positiveNumber(values['cap-usd'] as string | undefined, '--cap-usd');
      if (cap === 0) throw new UsageError('--cap-usd must be above 0.');
      const r = controlStoredTask(store, id, action, {
        heldElsewhere: (owner) => heldElsewhere(owner),
        now: () => core.clock.now(),
        ...(cap !== undefined ? { capMicros: usdToMicros(cap) } : {}),
      });
      if (!r.ok) {
        io.stderr(`sluice ${action}: ${r.error.message}\n`);
        return EXIT_FAILURE;
      }
      let task = r.value.task;
      // The host polls its tasks' requests about once a second: wait for a cancel to land.
      if (r.value.pending && action === 'cancel') {
        for (let i = 0; i < 50 && task.state !== 'cancelled'; i++) {
          await new Promise((res) => setTimeout(res, 100));
          task = store.get(id) ?? task;
        }
      }
      const row = store.rows([task])[0];
      if (values.json) {
        io.stdout(JSON.stringify({ task: row, pending: r.value.pending && task.state !== 'cancelled' }, null, 2) + '\n');
        return 0;
      }
      const pending = r.value.pending && !(action === 'cancel' && task.state === 'cancelled');
      io.stdout(
        pending
          ? action === 'pause'
            ? `Asked the host to pause ${id}; it stops at its next turn boundary (no edit is cut short).\n`
            : `Asked the host to cancel ${id}.\n`
          : `Task ${id} is ${row ? stateLabel(row) : task.state}.\n`,
      );
      return 0;
    });
}

export const cancel = control('cancel');
export const pause = control('pause');
export const resume = control('resume');

export const diff: CliCommand = (args, io) =>
  withTask(args, io, 'sluice diff ID [--patch] [--json]', { patch: { type: 'boolean' } }, async ({ store, id, values }) => {
    const r = await taskDiff(store, id, { patch: values.patch === true });
    if (!r.ok) {
      io.stderr(`sluice diff: ${r.error.message}\n`);
      return EXIT_FAILURE;
    }
    const d = r.value;
    if (values.json) {
      io.stdout(JSON.stringify(d, null, 2) + '\n');
      return 0;
    }
    const head = `Task ${id} on ${d.branch ?? '(no branch)'}${d.branchState && d.branchState !== 'open' ? ` (${d.branchState})` : ''}${d.worktree ? `, worktree ${d.worktree}` : ''}`;
    const body = d.files.length === 0 ? 'No changes.' : `${d.stat}`;
    io.stdout(`${head}\n${body}\n${d.patch ? `\n${d.patch}` : ''}${d.files.length > 0 && d.branchState === 'open' ? `Merge it with \`sluice merge ${id}\` or throw it away with \`sluice discard ${id}\`.\n` : ''}`);
    return 0;
  });

export const merge: CliCommand = (args, io) =>
  withTask(args, io, 'sluice merge ID [--json]', {}, async ({ store, id, values }) => {
    const r = await mergeTask(store, id);
    if (!r.ok) {
      io.stderr(`sluice merge: ${r.error.message}\n`);
      return EXIT_FAILURE;
    }
    io.stdout(values.json ? JSON.stringify(store.detail(id), null, 2) + '\n' : `Merged ${r.value.branch} into ${r.value.repoRoot}; its worktree and branch are removed.\n`);
    return 0;
  });

export const discard: CliCommand = (args, io) =>
  withTask(args, io, 'sluice discard ID [--json]', {}, async ({ core, store, id, values }) => {
    const r = await discardTask(store, id, () => core.clock.now());
    if (!r.ok) {
      io.stderr(`sluice discard: ${r.error.message}\n`);
      return EXIT_FAILURE;
    }
    io.stdout(values.json ? JSON.stringify(store.detail(id), null, 2) + '\n' : `Discarded the work of ${id}: worktree and branch removed.\n`);
    return 0;
  });

/** The task's answer on stdout (pipe it: `sluice answer ID > docs.md`); how it stands on stderr. */
export const answer: CliCommand = (args, io) =>
  withTask(args, io, 'sluice answer ID [--json]', {}, async ({ store, id, values }) => {
    const t = store.get(id);
    const row = t ? store.rows([t])[0] : undefined;
    if (!t || !row) throw new UsageError(`No task "${id}".`);
    if (values.json) {
      io.stdout(JSON.stringify({ id, state: t.state, text: t.result }, null, 2) + '\n');
      return t.result === null ? EXIT_FAILURE : 0;
    }
    if (t.result === null) {
      const why = row.state === 'failed' ? row.error : row.state === 'paused' ? row.error : row.currentStep;
      io.stderr(`sluice answer: ${id} is ${stateLabel(row)}${why ? ` (${why})` : ''}; no answer yet.\n`);
      return EXIT_FAILURE;
    }
    io.stdout(t.result.endsWith('\n') ? t.result : `${t.result}\n`);
    io.stderr(`— ${id}, ${row.model ?? 'model unknown'}${row.deferrable ? ' (batch)' : ''}, ${formatUsd(row.costMicros)}${row.error ? `. ${row.error}` : ''}\n`);
    return 0;
  });
