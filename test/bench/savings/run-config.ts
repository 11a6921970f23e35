// One configuration end to end: a fresh core + gateway + fake upstream, five agents pulling work from
// one queue. Time is simulated (one clock for the core and the fake's prompt cache) and requests are
// sent one at a time in simulated-time order, so every run of the same workload gives the same bill.
import type Anthropic from '@anthropic-ai/sdk';
import { startHarness, type Harness } from '../../support/harness';
import type { FakeReply } from '../../fakes/anthropic';
import { chooseModel } from '../../../electron/core/runner/model-choice';
import { promptWithBrief, type ContextBrief } from '../../../electron/core/runner/context';
import { settingsFor, STRONG, type Config } from './configs';
import { openDeferrer, type Deferrer } from './batches';
import { LedgerTap, type CostKind, type Spend } from './ledger-tap';
import { assistantMessage, layout, mainRequest, prefixCall, summaryCall, titleCall, type BackgroundCall } from './requests';
import { deferrableAnswer, deferrablePrompt, fixSession, mechanicalSession, type ReplyBlock, type SessionScript } from './script';
import { exists } from './repo-text';
import type { WorkItem } from './workload';

export interface RunInput {
  config: Config;
  items: readonly WorkItem[];
  /** The context an item starts with: the pruner's brief, the whole repository, or none. */
  contextFor: (item: WorkItem, config: Config) => ContextBrief | null;
  /** Per project: the standing instructions every agent on it gets. */
  projects: ReadonlyMap<string, string>;
  agents: number;
}

export interface RunResult {
  config: Config;
  spend: Spend;
  /** Requests that reached the ledger (batch items included). */
  requests: number;
  batchVia: string | null;
  /** Simulated time from the first dispatch to the last answer. */
  simulatedSeconds: number;
  wallMs: number;
  /** Turns the agents spent finding files their context did not name. */
  searchTurns: number;
}

const START = Date.UTC(2026, 11, 1, 9, 0, 0);
/** Seconds between dispatching one agent and the next. */
const STAGGER_S = 20;
/** Simulated model time per turn: time to first token, then output at a steady rate (the same for every model). */
const TTFT_S = 2;
const OUTPUT_TOKENS_PER_S = 50;

const chars = (b: ReplyBlock): number => (b.type === 'text' ? b.text.length : b.type === 'thinking' ? b.thinking.length : b.name.length + JSON.stringify(b.input).length);
const outputSeconds = (reply: ReplyBlock[]): number => TTFT_S + reply.reduce((n, b) => n + chars(b), 0) / 4 / OUTPUT_TOKENS_PER_S;

/** What differs per session in the system prompt of an agent: its worktree, branch and date. */
function environment(agent: string, item: WorkItem, now: number): string {
  return [
    '# Environment',
    `Working directory: /home/dev/.sluice/worktrees/${agent}/${item.id}`,
    `Is a git repository: yes (branch sluice/${item.id}, clean)`,
    'Platform: linux',
    `Today's date: ${new Date(now).toISOString().slice(0, 10)}`,
  ].join('\n');
}

/** Files the fix needs that its starting context does not name: each costs the agent a search turn. */
export function missedFiles(item: WorkItem, context: ContextBrief | null): string[] {
  if (item.kind !== 'fix') return [];
  const named = new Set(context?.files ?? []);
  return item.gold.filter((g) => exists(item.tree, g) && !named.has(g));
}

export async function runConfig(input: RunInput): Promise<RunResult> {
  const wall0 = performance.now();
  const clock = { t: START, now: () => clock.t };
  const h: Harness = await startHarness({ clock, anthropic: { now: () => clock.t } });
  try {
    h.core.settings.update(settingsFor(input.config));
    const routing = h.core.settings.get().routing;
    const tap = new LedgerTap(h.core.db);
    const deferrer: Deferrer | null = input.config.batches ? await openDeferrer(h.core, clock) : null;

    let slot: FakeReply | null = null;
    const batchReplies = new Map<string, FakeReply>();
    h.anthropic.setResponder((req) => {
      const custom = req.headers['x-fake-batch-custom-id'];
      const r = custom ? batchReplies.get(custom) : slot;
      if (!custom) slot = null;
      return r ?? { type: 'error', status: 400, message: 'savings bench: no scripted reply for this request' };
    });

    const send = async (
      client: Anthropic,
      params: Anthropic.Messages.MessageCreateParamsNonStreaming,
      headers: Record<string, string>,
      reply: ReplyBlock[],
      kind: CostKind,
      stream: boolean,
    ): Promise<void> => {
      slot = { type: 'message', content: reply };
      if (stream) await client.messages.stream(params, { headers }).finalMessage();
      else await client.messages.create(params, { headers });
      slot = null;
      tap.take(kind);
      // The fake keeps every body it received; the naive run's are megabytes each.
      h.anthropic.requests.length = 0;
    };
    const background = (client: Anthropic, headers: Record<string, string>, call: BackgroundCall) =>
      send(client, call.params, headers, [{ type: 'text', text: call.answer }], 'background', false);

    const queue = [...input.items];
    let searchTurns = 0;

    async function* session(client: Anthropic, agent: string, item: WorkItem): AsyncGenerator<number> {
      const context = input.contextFor(item, input.config);
      const missed = missedFiles(item, context);
      searchTurns += missed.length;
      const script: SessionScript = item.kind === 'fix' ? fixSession(item, missed) : mechanicalSession(item);
      const tier = item.kind === 'mechanical' && input.config.routing ? 'fast' : 'strong';
      const chosen = chooseModel({ tier }, routing);
      if (!chosen.ok) throw new Error(chosen.message);
      const model = chosen.choice.model;
      const headers = { 'x-claude-code-session-id': `session-${item.id}`, 'x-sluice-task-id': item.id, 'x-app': 'cli' };
      const { system, opening } = layout(input.config.cache, {
        project: input.projects.get(item.project) ?? '',
        environment: environment(agent, item, clock.t),
        task: promptWithBrief(item.prompt, context),
      });
      await background(client, headers, titleCall(STRONG, item.prompt, `${item.project}: ${item.prompt.split('\n')[0]?.slice(0, 40) ?? item.id}`));
      const messages: Anthropic.Messages.MessageParam[] = [opening];
      const said: string[] = [];
      for (const turn of script.turns) {
        const params = mainRequest({ model, system, messages, lastBreakpoint: input.config.cache !== 'none' });
        await send(client, params, headers, turn.reply, item.kind, true);
        messages.push(assistantMessage(turn.reply));
        for (const b of turn.reply) if (b.type === 'text') said.push(b.text);
        for (const cmd of turn.bash) await background(client, headers, prefixCall(STRONG, cmd));
        if (turn.results.length > 0) messages.push({ role: 'user', content: turn.results });
        yield outputSeconds(turn.reply) + turn.toolSeconds;
      }
      await background(client, headers, summaryCall(STRONG, said.join('\n'), `Worked on ${item.id} in ${item.project} and reported the result.`));
    }

    async function* deferrable(client: Anthropic, agent: { id: number; name: string }, item: WorkItem): AsyncGenerator<number> {
      const context = input.contextFor(item, input.config);
      const answer: ReplyBlock[] = [{ type: 'text', text: deferrableAnswer(item) }];
      const { system, opening } = layout(input.config.cache, {
        project: input.projects.get(item.project) ?? '',
        environment: environment(agent.name, item, clock.t),
        task: promptWithBrief(deferrablePrompt(item), context),
      });
      // A single-shot job has no next turn to read its own prompt back: the coordinator leaves the last
      // message unmarked (a write that is never read costs 1.25×); Claude Code alone marks it anyway.
      const params = mainRequest({ model: STRONG, system, messages: [opening], lastBreakpoint: input.config.cache === 'session', maxTokens: 16_000, thinking: false });
      if (deferrer) {
        const customId = item.id.replace(/[^a-zA-Z0-9_-]/g, '_');
        batchReplies.set(customId, { type: 'message', content: answer });
        const { model, ...rest } = params;
        await deferrer.defer({ agentId: agent.id, taskId: item.id, customId, model, params: rest });
        // The tick that submitted it may also have settled an earlier batch.
        tap.take('deferrable', { mayBeNone: true });
        yield 5;
        return;
      }
      await send(client, params, { 'x-sluice-task-id': item.id, 'x-app': 'cli' }, answer, 'deferrable', false);
      yield outputSeconds(answer);
    }

    async function* agentWork(client: Anthropic, agent: { id: number; name: string }): AsyncGenerator<number> {
      for (let item = queue.shift(); item; item = queue.shift()) {
        if (item.kind === 'deferrable') yield* deferrable(client, agent, item);
        else yield* session(client, agent.name, item);
      }
    }

    const agents = Array.from({ length: input.agents }, (_, i) => {
      const { agent, token } = h.core.agents.create(`agent-${i + 1}`);
      return { i, at: i * STAGGER_S, work: agentWork(h.client(token), agent) };
    });
    let last = 0;
    while (agents.length > 0) {
      agents.sort((a, b) => a.at - b.at || a.i - b.i);
      const a = agents[0] as (typeof agents)[number];
      clock.t = START + Math.round(a.at * 1000);
      const step = await a.work.next();
      if (step.done) {
        agents.shift();
        last = Math.max(last, a.at);
      } else a.at += step.value;
    }
    clock.t = START + Math.round((last + 60) * 1000);
    if (deferrer) {
      const s = await deferrer.settleAll();
      if (s.failed > 0) throw new Error(`${s.failed} batch requests failed`);
      tap.take('deferrable', { mayBeNone: true });
      if (tap.total().requests.deferrable !== input.items.filter((i) => i.kind === 'deferrable').length) throw new Error('a deferred request was never settled');
    }
    const spend = tap.total();
    const ledgerTotal = (h.core.db.prepare('SELECT COALESCE(SUM(cost_micros), 0) AS m FROM requests').get() as { m: number }).m;
    if (ledgerTotal !== spend.micros) throw new Error(`ledger total ${ledgerTotal} µ$ differs from the rows read (${spend.micros} µ$)`);
    return {
      config: input.config,
      spend,
      requests: tap.count,
      batchVia: deferrer?.via ?? null,
      simulatedSeconds: last,
      wallMs: performance.now() - wall0,
      searchTurns,
    };
  } finally {
    await h.close();
  }
}
