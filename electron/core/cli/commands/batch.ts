import type { CliCommand, CliIo } from '../io';
import { UsageError } from '../io';
import { parse, positiveInt, table } from '../args';
import { openCore } from '../context';
import type { Core } from '../../services';
import { formatUsd } from '../../../../shared/money';
import { BatchCoordinator, BatchInputError, type BatchItem } from '../../coordinator/batches';

const USAGE =
  'sluice batch add --model M [--max-tokens N] [--agent NAME] [--task ID] [--reason TEXT] [--json] "prompt" | sluice batch ls [--json] | sluice batch results ID [--json]';

/**
 * Deferred work (Message Batches, 50% off). `add` only queues: `sluice serve` or the app submits it
 * in the off-peak window and settles the results.
 */
export const batch: CliCommand = async (args, io) => {
  const { values, positionals } = parse(
    args,
    {
      model: { type: 'string' },
      'max-tokens': { type: 'string' },
      agent: { type: 'string' },
      task: { type: 'string' },
      reason: { type: 'string' },
      json: { type: 'boolean' },
      'data-dir': { type: 'string' },
    },
    USAGE,
  );
  const [sub, ...rest] = positionals;
  if (sub === 'add') return add(io, rest, values);
  if (sub === 'ls' || sub === 'list') {
    if (rest.length > 0) throw new UsageError(`"batch ls" takes no arguments. Usage: ${USAGE}`);
    return withCoordinator(io, values['data-dir'], (c) => ls(io, c, values.json === true));
  }
  if (sub === 'results') {
    const id = rest[0];
    if (!id || rest.length > 1) throw new UsageError(`"batch results" needs one ID (from \`sluice batch ls\`). Usage: ${USAGE}`);
    return withCoordinator(io, values['data-dir'], (c) => results(io, c, id, values.json === true));
  }
  throw new UsageError(sub ? `Unknown batch command "${sub}". Usage: ${USAGE}` : `Say what to do. Usage: ${USAGE}`);
};

async function withCoordinator(io: CliIo, dataDir: string | undefined, fn: (c: BatchCoordinator, core: Core) => number | Promise<number>): Promise<number> {
  const core = openCore(io, { dataDir });
  try {
    return await fn(new BatchCoordinator(core), core);
  } finally {
    core.close();
  }
}

async function add(
  io: CliIo,
  words: string[],
  values: { model?: string; 'max-tokens'?: string; agent?: string; task?: string; reason?: string; json?: boolean; 'data-dir'?: string },
): Promise<number> {
  if (!values.model) throw new UsageError(`Give a model with --model. Usage: ${USAGE}`);
  const maxTokens = positiveInt(values['max-tokens'], '--max-tokens') ?? 4096;
  const prompt = words.join(' ').trim() || (await io.readStdin()).trim();
  if (!prompt) throw new UsageError(`Give a prompt. Usage: ${USAGE}`);
  const model = values.model;
  return withCoordinator(io, values['data-dir'], (c, core) => {
    let agentId: number | null = null;
    if (values.agent !== undefined) {
      const agent = core.agents.get(values.agent);
      if (!agent || agent.revokedAt) throw new UsageError(`No agent named "${values.agent}". Create it with \`sluice agents add ${values.agent}\`.`);
      agentId = agent.id;
    }
    let id: string;
    try {
      id = c.defer({
        agentId,
        taskId: values.task ?? null,
        model,
        params: { max_tokens: maxTokens, messages: [{ role: 'user', content: prompt }] },
        reason: values.reason ?? 'deferrable task (sluice batch add)',
      }).id;
    } catch (e) {
      if (e instanceof BatchInputError) throw new UsageError(e.message);
      throw e;
    }
    const item = c.find(id);
    if (values.json) io.stdout(JSON.stringify(item) + '\n');
    else io.stdout(`${id}\n`);
    return 0;
  });
}

function ls(io: CliIo, c: BatchCoordinator, json: boolean): number {
  const items = c.list();
  if (json) {
    io.stdout(JSON.stringify(items.map(summary), null, 2) + '\n');
    return 0;
  }
  if (items.length === 0) {
    io.stdout('No deferred work. Queue some with `sluice batch add --model M "prompt"`.\n');
    return 0;
  }
  const rows = [['ID', 'STATE', 'MODEL', 'AGENT', 'TASK', 'COST', 'REASON']];
  for (const i of items) {
    rows.push([i.id, i.state, i.model, i.agentName ?? '-', i.taskId ?? '-', costText(i), i.reason]);
  }
  io.stdout(table(rows));
  return 0;
}

function results(io: CliIo, c: BatchCoordinator, id: string, json: boolean): number {
  const item = c.find(id);
  if (!item) throw new UsageError(`No deferred request "${id}" (give its id, or a unique prefix of at least 4 characters, from \`sluice batch ls\`).`);
  if (json) {
    io.stdout(JSON.stringify(item, null, 2) + '\n');
    return 0;
  }
  const r = item.result;
  if (item.state === 'done' && r?.type === 'succeeded') {
    const text = r.message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    io.stdout(text + '\n');
    io.stderr(`— ${r.message.model} (batch ${item.batchId ?? '?'}), ${r.message.usage.input_tokens} in / ${r.message.usage.output_tokens} out, ${formatUsd(item.costMicros ?? 0)}\n`);
    return 0;
  }
  if (item.state === 'failed') {
    io.stderr(`sluice batch: ${item.id} failed: ${item.error ?? item.reason}\n`);
    return 1;
  }
  io.stderr(`sluice batch: ${item.id} is ${item.state}, no result yet: ${item.reason}\n`);
  return 1;
}

function costText(i: BatchItem): string {
  return i.costMicros !== null ? formatUsd(i.costMicros) : `≤ ${formatUsd(i.worstCaseMicros)}`;
}

/** `ls --json` leaves out the result bodies (`results ID` has them). */
function summary(i: BatchItem): Omit<BatchItem, 'result'> {
  const { result: _result, ...rest } = i;
  return rest;
}
