import Anthropic from '@anthropic-ai/sdk';
import type { CliCommand } from '../io';
import { UsageError } from '../io';
import { parse, positiveInt } from '../args';
import { openCore } from '../context';
import { startServer } from '../../host/start';
import { formatUsd } from '../../../../shared/money';
import { BatchCoordinator } from '../../coordinator/batches';

/** Exit code of `sluice ask` when the budget policy queued the prompt as batch work instead of answering it. */
export const ASK_DEFERRED = 3;

const USAGE = 'sluice ask "prompt" [--model M] [--max-tokens N] [--json]';
const CLI_AGENT = 'cli';

/**
 * One request through the full pipeline: an in-process gateway on an ephemeral port, called with the
 * official SDK as agent "cli" — the same door every agent uses, so it is routed, budgeted and recorded.
 */
export const ask: CliCommand = async (args, io) => {
  const { values, positionals } = parse(
    args,
    { model: { type: 'string' }, 'max-tokens': { type: 'string' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' } },
    USAGE,
  );
  const prompt = positionals.join(' ').trim() || (await io.readStdin()).trim();
  if (!prompt) throw new UsageError(`Give a prompt. Usage: ${USAGE}`);
  const maxTokens = positiveInt(values['max-tokens'], '--max-tokens') ?? 4096;
  const core = openCore(io, { dataDir: values['data-dir'] });
  const host = await startServer(core, { port: 0, ledgerThread: false });
  try {
    await core.localModels.refresh();
    const model = values.model ?? core.settings.get().routing.tiers.strong;
    const token = core.agents.get(CLI_AGENT)?.revokedAt === null ? core.agents.issueToken(CLI_AGENT) : core.agents.create(CLI_AGENT).token;
    const client = new Anthropic({ apiKey: token, authToken: null, baseURL: host.url, maxRetries: 0 });
    let msg;
    let routedTo: string | null = null;
    try {
      const { data, response } = await client.messages.create({ model, max_tokens: maxTokens, messages: [{ role: 'user', content: prompt }] }).withResponse();
      msg = data;
      routedTo = response.headers.get('x-sluice-route');
    } catch (e) {
      const m = e instanceof Anthropic.APIError ? ((e.error as { error?: { message?: string } } | undefined)?.error?.message ?? e.message) : (e as Error).message;
      const cli = core.agents.get(CLI_AGENT);
      const policy = cli?.policy ?? core.settings.get().policy;
      // The budget refused it and the policy is "queue": a one-shot prompt can wait for a Message Batch (50% off).
      if (e instanceof Anthropic.APIError && e.status === 429 && m.startsWith('Sluice:') && policy === 'queue' && cli) {
        const { id } = new BatchCoordinator(core).defer({
          agentId: cli.id,
          model,
          params: { max_tokens: maxTokens, messages: [{ role: 'user', content: prompt }] },
          reason: 'deferred by the budget policy (sluice ask)',
        });
        if (values.json) io.stdout(JSON.stringify({ deferred: { id, reason: m } }) + '\n');
        io.stderr(`${m}\nQueued for the Message Batches API at 50% off as ${id}; it is submitted when the budget allows. Read the answer with \`sluice batch results ${id}\`.\n`);
        return ASK_DEFERRED;
      }
      io.stderr(`sluice: ${m}\n`);
      return 1;
    }
    const text = msg.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    const row = core.queries.requests({ agent: CLI_AGENT, limit: 1 })[0];
    if (values.json) {
      io.stdout(JSON.stringify({ text, model: msg.model, route: routedTo, usage: msg.usage, costMicros: row?.costMicros ?? null, costUsd: row ? row.costMicros / 1e6 : null }) + '\n');
    } else {
      io.stdout(text + '\n');
      io.stderr(`— ${msg.model}${routedTo ? ` (${routedTo})` : ''}, ${msg.usage.input_tokens} in / ${msg.usage.output_tokens} out, ${row ? formatUsd(row.costMicros) : 'cost unknown'}\n`);
    }
    return 0;
  } finally {
    await host.close();
    core.close();
  }
};
