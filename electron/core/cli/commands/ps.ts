import type { CliCommand } from '../io';
import { UsageError } from '../io';
import { parse, table } from '../args';
import { openCore } from '../context';
import { formatUsd } from '../../../../shared/money';
import type { TaskRow } from '../../../../shared/contract';
import { TaskStore, type TaskDetail } from '../../runner/task-store';

const USAGE = 'sluice ps [ID] [--all] [--json] [--data-dir DIR]';
const DAY_MS = 24 * 60 * 60 * 1000;

export const ps: CliCommand = async (args, io) => {
  const { values, positionals } = parse(args, { all: { type: 'boolean' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' } }, USAGE);
  if (positionals.length > 1) throw new UsageError(`ps takes at most one task id. Usage: ${USAGE}`);
  const core = openCore(io, { dataDir: values['data-dir'] });
  try {
    const store = new TaskStore(core.db, () => core.clock.now());
    if (positionals[0] !== undefined) {
      const id = store.resolve(positionals[0]);
      if (!id.ok) throw new UsageError(id.message);
      const d = store.detail(id.id) as TaskDetail;
      io.stdout(values.json ? JSON.stringify(d, null, 2) + '\n' : describeTask(d));
      return 0;
    }
    const recs = values.all ? store.listAll() : store.listCurrent(new Date(core.clock.now() - DAY_MS).toISOString());
    const rows = store.rows(recs);
    if (values.json) {
      io.stdout(JSON.stringify(rows, null, 2) + '\n');
      return 0;
    }
    if (rows.length === 0) {
      io.stdout(values.all ? 'No tasks yet. Dispatch one with `sluice dispatch "task" --project DIR`.\n' : 'No tasks today. `sluice ps --all` lists older ones.\n');
      return 0;
    }
    io.stdout(
      table([
        ['ID', 'STATE', 'PRI', 'MODEL', 'TURNS', 'COST', 'TIME', 'NOW', 'TASK'],
        ...rows.map((t) => [t.id, stateLabel(t), t.priority, t.model ?? '', String(t.turns), formatUsd(t.costMicros), duration(t.elapsedMs), note(t), short(t.prompt, 40)]),
      ]),
    );
    return 0;
  } finally {
    core.close();
  }
};

export function stateLabel(t: TaskRow): string {
  return t.state === 'paused' && t.pausedReason ? `paused (${t.pausedReason === 'restart' ? 'interrupted' : t.pausedReason})` : t.state;
}

function note(t: TaskRow): string {
  if (t.state === 'running' || t.state === 'starting' || (t.deferrable && t.state === 'queued')) return short(t.currentStep ?? '', 40);
  if (t.state === 'failed' || t.state === 'paused') return short(t.error ?? '', 60);
  if (t.retriedBy) return `retried as ${t.retriedBy}`;
  return t.branch ?? '';
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function short(s: string, n: number): string {
  const l = s.replace(/\s+/g, ' ').trim();
  return l.length > n ? l.slice(0, n - 1) + '…' : l;
}

/** One task in full, for `sluice ps ID`. */
export function describeTask(d: TaskDetail): string {
  const t = d.tokens;
  const lines = [
    `Task ${d.id}  ${stateLabel(d)}  (priority ${d.priority})`,
    `  Prompt:   ${short(d.prompt, 200)}`,
    `  Project:  ${d.project}${d.deferrable ? '' : d.isolation === 'in_place' ? ' (in place)' : ''}`,
    d.deferrable ? '  Batch:    deferrable — one request (the prompt and its context brief) in a Message Batch at 50% off' : null,
    d.branch ? `  Branch:   ${d.branch}${d.branchState && d.branchState !== 'open' ? ` (${d.branchState})` : ''}${d.worktree ? `  worktree ${d.worktree}` : ''}` : null,
    `  Model:    ${d.model ?? 'default'}${d.routeReason ? `  — ${d.routeReason}` : ''}`,
    d.retryOf ? `  Retry of: ${d.retryOf}` : null,
    d.retriedBy ? `  Retried:  as ${d.retriedBy} on a stronger tier` : null,
    `  Cost:     ${formatUsd(d.costMicros)}${d.capMicros !== null ? ` of a ${formatUsd(d.capMicros)} cap` : ''}${d.engineCostMicros !== null ? `  (Claude Code reports ${formatUsd(d.engineCostMicros)})` : ''}`,
    `  Tokens:   ${t.input.toLocaleString('en-US')} in, ${t.output.toLocaleString('en-US')} out, ${t.cacheRead.toLocaleString('en-US')} cache read, ${(t.cacheWrite5m + t.cacheWrite1h).toLocaleString('en-US')} cache write`,
    `  Turns:    ${d.turns}   Time: ${duration(d.elapsedMs)}${d.contextTokens ? `   Brief: ${d.contextTokens.toLocaleString('en-US')} tokens` : ''}`,
    d.currentStep ? `  Now:      ${d.currentStep}` : null,
    d.error ? `  ${d.state === 'paused' ? 'Waiting:' : 'Error:  '}  ${d.error}` : null,
    d.result && d.deferrable ? `  Answer:   ${short(d.result, 300)}  (all of it: \`sluice answer ${d.id}\`)` : d.result ? `  Result:   ${short(d.result, 300)}` : null,
    ...(d.denials.length > 0 ? [`  Refused (${d.denials.length}):`, ...d.denials.slice(-10).map((x) => `    ${x.tool} ${short(x.target, 60)} — ${x.reason}`)] : []),
  ];
  return lines.filter((l): l is string => l !== null).join('\n') + '\n';
}
