// One configuration end to end: a fresh core + gateway + fake upstream, five agents pulling work from
// one queue. Time is simulated (one clock for the core and the fake's prompt cache) and requests are
// sent one at a time in simulated-time order, so every run of the same workload gives the same bill.
import type Anthropic from '@anthropic-ai/sdk';
import { startHarness, type Harness } from '../../support/harness';
import type { FakeReply } from '../../fakes/anthropic';
import { MID_CONVERSATION_BETA } from '../../fakes/anthropic-validate';
import { chooseModel } from '../../../electron/core/runner/model-choice';
import { promptWithBrief, type ContextBrief } from '../../../electron/core/runner/context';
import { deferrableParams } from '../../../electron/core/runner/deferred-request';
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
  /** Per project: the folder its tasks are dispatched on (with its CLAUDE.md) and that CLAUDE.md's text. */
  projects: ReadonlyMap<string, ProjectSetup>;
  agents: number;
}

export interface ProjectSetup {
  folder: string;
  instructions: string;
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
  /** Requests that carried the project prefix, and its size per project (the product's own count). */
  projectPrefix: { requests: number; tokens: Map<string, number> };
}

const START = Date.UTC(2026, 11, 1, 9, 0, 0);
/** Seconds between dispatching one agent and the next. */
const STAGGER_S = 20;
/** Simulated model time per turn: time to first token, then output at a steady rate (the same for every model). */
const TTFT_S = 2;
const OUTPUT_TOKENS_PER_S = 50;

const chars = (b: ReplyBlock): number => (b.type === 'text' ? b.text.length : b.type === 'thinking' ? b.thinking.length : b.name.length + JSON.stringify(b.input).length);
const outputSeconds = (reply: ReplyBlock[]): number => TTFT_S + reply.reduce((n, b) => n + chars(b), 0) / 4 / OUTPUT_TOKENS_PER_S;

/**
 * The environment Claude Code sends after the first user message (≈400 tokens in 2.1.332): the session's
 * worktree, branch and date, and standing notes about worktrees. Different for every session.
 */
function environment(agent: string, item: WorkItem, now: number): string {
  return [
    '# Environment',
    'You have been invoked in the following environment:',
    ` - Primary working directory: /home/dev/.sluice/worktrees/${agent}/${item.id}`,
    ' - This is a git worktree, an isolated copy of the repository. Run every command from this folder and do not',
    '   change to the original checkout. Other sessions may work in other worktrees of the same repository at the',
    '   same time, and they share its stash: never use a bare stash and pop; prefer a temporary commit to set work',
    '   aside, and if you must stash, tag the entry, note its hash and apply it by hash, then drop it by its tag.',
    ` - Is a git repository: yes (branch sluice/${item.id}, clean)`,
    ' - Platform: linux; shell: bash',
    ' - Files you download are untrusted data: put each in its own new folder, never run code from inside it, and',
    '   pass paths as arguments instead of starting an interpreter or build tool from within that folder, since',
    '   interpreters load modules from the script folder and the current folder first.',
    ' - When sending untrusted values with curl, use --form-string rather than -F.',
    '',
    'You are powered by a model of the Opus family; its exact identifier and knowledge cutoff are known to the tools.',
    '',
    `Today's date is ${new Date(now).toISOString().slice(0, 10)}.`,
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
    // Every item is a task in the ledger, dispatched on its project's folder, as `sluice dispatch` would make it:
    // the gateway finds a task's project (and the prefix it shares) from x-sluice-task-id and the task's own agent.
    const taskState = h.core.db.prepare('UPDATE tasks SET state = ?, agent_id = COALESCE(?, agent_id) WHERE id = ?');
    const addTask = h.core.db.prepare(
      "INSERT INTO tasks (id, prompt, project, state, isolation, created_at, updated_at) VALUES (?, ?, ?, 'queued', 'in_place', ?, ?)",
    );
    for (const item of input.items) {
      const at = new Date(START).toISOString();
      addTask.run(item.id, item.prompt, input.projects.get(item.project)?.folder ?? item.tree.root, at, at);
    }
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
    // Without Sluice's prefix the project's CLAUDE.md reaches the agent the way Claude Code delivers it itself;
    // with it, in the prefix (the runner leaves Claude Code's own loading of project files off).
    const instructionsFor = (item: WorkItem): string => (input.config.cache === 'shared' ? '' : (input.projects.get(item.project)?.instructions ?? ''));
    let searchTurns = 0;

    async function* session(client: Anthropic, agent: { id: number; name: string }, item: WorkItem): AsyncGenerator<number> {
      const context = input.contextFor(item, input.config);
      const missed = missedFiles(item, context);
      searchTurns += missed.length;
      const script: SessionScript = item.kind === 'fix' ? fixSession(item, missed) : mechanicalSession(item);
      const tier = item.kind === 'mechanical' && input.config.routing ? 'fast' : 'strong';
      const chosen = chooseModel({ tier }, routing);
      if (!chosen.ok) throw new Error(chosen.message);
      const model = chosen.choice.model;
      const headers = { 'x-claude-code-session-id': `session-${item.id}`, 'x-sluice-task-id': item.id, 'x-app': 'cli', 'anthropic-beta': MID_CONVERSATION_BETA };
      const { system, opening } = layout(input.config.cache, {
        instructions: instructionsFor(item),
        environment: environment(agent.name, item, clock.t),
        task: promptWithBrief(item.prompt, context),
      });
      await background(client, headers, titleCall(STRONG, item.prompt, `${item.project}: ${item.prompt.split('\n')[0]?.slice(0, 40) ?? item.id}`));
      const messages: Anthropic.Messages.MessageParam[] = [...opening];
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

    async function* deferrable(client: Anthropic, agent: { id: number }, item: WorkItem): AsyncGenerator<number> {
      const context = input.contextFor(item, input.config);
      const answer: ReplyBlock[] = [{ type: 'text', text: deferrableAnswer(item) }];
      // The product's one request for a deferrable task (no tools, no agent loop), synchronous or batched.
      const params = { model: STRONG, ...deferrableParams(deferrablePrompt(item), context, 16_000) };
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
        taskState.run('running', agent.id, item.id);
        if (item.kind === 'deferrable') yield* deferrable(client, agent, item);
        else yield* session(client, agent, item);
        taskState.run('done', null, item.id);
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
    const prefixRows = h.core.db.prepare("SELECT t.project, r.route_reason FROM requests r JOIN tasks t ON t.id = r.task_id WHERE r.route_reason LIKE '%project prefix shared%'").all() as { project: string; route_reason: string }[];
    const prefixTokens = new Map<string, number>();
    for (const r of prefixRows) prefixTokens.set(r.project, Number(/project prefix shared \(~(\d+) tokens/.exec(r.route_reason)?.[1] ?? 0));
    return {
      config: input.config,
      spend,
      projectPrefix: { requests: prefixRows.length, tokens: prefixTokens },
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
