import { startHost, type RunningHost, type UiHandler } from './server';
import { createGatewayHandler } from '../gateway/http';
import type { Core } from '../services';
import type { RequestRow } from '../../../shared/contract';
import { startSettleThread } from '../budget/settle-thread';
import { BatchCoordinator } from '../coordinator/batches';
import { PrefixReuse } from '../coordinator/shared-prefix';
import { ProjectPrefixes } from '../coordinator/project-prefixes';

export interface StartOptions {
  port?: number;
  bindHost?: string;
  allowedHosts?: readonly string[];
  ui?: (core: Core, port: () => number) => UiHandler | null;
  /** Skip polling Ollama (tests that do not need local models). */
  watchOllama?: boolean;
  /** Run the Message Batches coordinator (deferred work, submitted in the off-peak window). Default on. */
  batches?: boolean;
  /**
   * A worker thread for the ledger's background writes, off the event loop: its WAL checkpoints, and
   * the gateway's settlements unless `settleThread` is false (budget/settle-thread.ts). For a
   * long-lived server; a one-shot command does without. Default on.
   */
  ledgerThread?: boolean;
  /** Commit the gateway's settlements on the ledger thread. Default on. */
  settleThread?: boolean;
}

/** core + gateway + health (+ UI): what `sluice serve` runs, and what integration tests start. */
export async function startServer(core: Core, o: StartOptions = {}): Promise<RunningHost> {
  const agentNames = new Map<number, string>();
  const nameOf = (id: number | null) => {
    if (id === null) return null;
    let n = agentNames.get(id);
    if (n === undefined) {
      n = core.agents.getById(id)?.name;
      if (n) agentNames.set(id, n);
    }
    return n ?? null;
  };
  const gateway = createGatewayHandler({
    agents: core.agents,
    settings: core.settings,
    enforcer: core.enforcer,
    catalog: core.catalog,
    anthropic: core.anthropic,
    ollama: core.ollama,
    localModels: () => core.localModels.get(),
    sessions: core.sessions,
    responses: core.responses,
    prefixes: new PrefixReuse(),
    projectPrefixes: new ProjectPrefixes(core.db, { log: core.log, concurrency: () => core.settings.get().concurrency }),
    clock: core.clock,
    events: core.events,
    log: core.log,
    onSettled: (row: RequestRow, agentId: number | null) => {
      // The pipeline knows agent ids; the UI wants names.
      if (core.events.hasListeners()) core.events.emit({ type: 'request', request: { ...row, agent: nameOf(agentId) } });
    },
  });
  if (o.watchOllama !== false) core.localModels.start();
  let port = o.port ?? core.config.port;
  const started = core.clock.now();
  const host = await startHost({
    port,
    bindHost: o.bindHost ?? core.config.bindHost,
    allowedHosts: o.allowedHosts,
    gateway: gateway.handle,
    lean: gateway.lean,
    ui: o.ui ? o.ui(core, () => port) : null,
    log: core.log,
    health: () => ({
      service: 'sluice',
      uptimeSeconds: Math.round((core.clock.now() - started) / 1000),
      anthropicKey: core.anthropic.hasKey(),
      ollama: core.localModels.get() !== null,
    }),
  });
  port = host.port;
  const ledgerThread = o.ledgerThread === false ? null : startSettleThread(core.db, core.log, { checkpointEveryMs: 200 });
  const settles = ledgerThread !== null && o.settleThread !== false;
  if (settles) core.enforcer.settleOn(ledgerThread);
  const batches = o.batches === false ? null : new BatchCoordinator(core);
  batches?.start();
  return {
    ...host,
    close: async () => {
      await batches?.stop();
      await host.close();
      // Settlements of the last requests commit on the thread; anything later (core.close) inline.
      if (settles) core.enforcer.settleOn(null);
      await ledgerThread?.close();
    },
  };
}
