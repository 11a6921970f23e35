// Deferrable work through the Message Batches API: the product's BatchCoordinator when this tree has it,
// else the SDK's `messages.batches` straight to the upstream, settled in the ledger at batch prices.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Anthropic from '@anthropic-ai/sdk';
import type { Core } from '../../../electron/core/services';
import type { Clock } from '../../../electron/core/events';
import { costOf } from '../../../shared/pricing';
import { fromAnthropicUsage, promptTokens, ZERO_USAGE, type AnthropicUsage } from '../../../shared/usage';

export type BatchParams = Omit<Anthropic.Messages.MessageCreateParamsNonStreaming, 'model'>;

export interface DeferredRequest {
  agentId: number;
  taskId: string;
  customId: string;
  model: string;
  params: BatchParams;
}

export interface Deferrer {
  /** 'coordinator' (the product's) or 'sdk' (this bench's stand-in). */
  readonly via: string;
  /** Queues the request and submits it, as the coordinator's next tick would. */
  defer(r: DeferredRequest): Promise<void>;
  /** Polls until every deferred request is settled in the ledger. */
  settleAll(): Promise<{ settled: number; failed: number }>;
}

interface CoordinatorLike {
  defer(input: { agentId: number | null; taskId?: string | null; model: string; params: BatchParams; reason: string; customId?: string }): { id: string };
  tick(now?: number): Promise<{ submitted: number; settled: number; failed: number }>;
  list(limit?: number): { state: string }[];
}
type CoordinatorCtor = new (core: Core, clock?: Clock) => CoordinatorLike;

// Loaded by URL so this bench neither fails to compile nor to run where the coordinator is absent.
const COORDINATOR = new URL('../../../electron/core/coordinator/batches/index.ts', import.meta.url);

export async function openDeferrer(core: Core, clock: Clock): Promise<Deferrer> {
  if (fs.existsSync(fileURLToPath(COORDINATOR))) {
    const mod = (await import(COORDINATOR.href)) as { BatchCoordinator?: CoordinatorCtor };
    if (mod.BatchCoordinator) return coordinatorDeferrer(new mod.BatchCoordinator(core, clock));
  }
  return sdkDeferrer(core, clock);
}

function coordinatorDeferrer(c: CoordinatorLike): Deferrer {
  return {
    via: 'coordinator',
    async defer(r) {
      c.defer({ agentId: r.agentId, taskId: r.taskId, model: r.model, params: r.params, reason: 'deferrable task', customId: r.customId });
      await c.tick();
    },
    async settleAll() {
      let settled = 0;
      let failed = 0;
      for (let round = 0; round < 10; round++) {
        const t = await c.tick();
        settled += t.settled;
        failed += t.failed;
        if (!c.list().some((i) => i.state === 'waiting' || i.state === 'running')) break;
      }
      return { settled, failed };
    },
  };
}

function sdkDeferrer(core: Core, clock: Clock): Deferrer {
  const pending: (DeferredRequest & { batchId: string; submittedAt: number })[] = [];
  return {
    via: 'sdk',
    async defer(r) {
      const batch = await core.anthropic.sdk().messages.batches.create({ requests: [{ custom_id: r.customId, params: { ...r.params, model: r.model } }] });
      pending.push({ ...r, batchId: batch.id, submittedAt: clock.now() });
    },
    async settleAll() {
      const sdk = core.anthropic.sdk();
      const strong = core.catalog().lookup(core.settings.get().routing.tiers.strong).price;
      let settled = 0;
      let failed = 0;
      for (const p of pending.splice(0)) {
        while ((await sdk.messages.batches.retrieve(p.batchId)).processing_status !== 'ended') await new Promise((res) => setTimeout(res, 50));
        for await (const item of await sdk.messages.batches.results(p.batchId)) {
          const ok = item.result.type === 'succeeded';
          const usage = ok && item.result.type === 'succeeded' ? fromAnthropicUsage(item.result.message.usage as AnthropicUsage) : { ...ZERO_USAGE };
          const lookup = core.catalog().lookup(p.model);
          core.enforcer.settle(null, {
            startedAt: p.submittedAt,
            finishedAt: clock.now(),
            agentId: p.agentId,
            sessionId: null,
            taskId: p.taskId,
            provider: 'anthropic',
            modelRequested: p.model,
            modelUsed: p.model,
            tier: null,
            routeReason: 'batch: deferrable task',
            usage,
            costMicros: costOf(usage, lookup.price, { batch: true }),
            baselineMicros: costOf({ ...ZERO_USAGE, inputTokens: promptTokens(usage), outputTokens: usage.outputTokens }, strong),
            priceFlag: lookup.flag,
            batch: true,
            stream: false,
            latencyMs: null,
            ttfbMs: null,
            status: ok ? 'ok' : 'error',
            httpStatus: ok ? 200 : null,
            error: ok ? null : item.result.type,
          });
          if (ok) settled += 1;
          else failed += 1;
        }
      }
      return { settled, failed };
    },
  };
}
