import { openLedger, type Db } from './ledger/db';
import { SettingsStore } from './ledger/settings-store';
import { AgentStore } from './ledger/agent-store';
import { BudgetEnforcer } from './budget/enforcer';
import { EventBus, systemClock, type Clock } from './events';
import { PriceCatalog, type PriceOverride } from './pricing/catalog';
import { createAnthropicProvider, type AnthropicProvider } from './providers/anthropic/client';
import { createOllamaProvider, type OllamaProvider } from './providers/ollama/client';
import { SessionTracker } from './gateway/sessions';
import { LocalModelCache } from './gateway/local-models';
import { ResponseCache } from './gateway/response-cache';
import { OutcomeLearner } from './router/outcomes';
import { LedgerQueries } from './ledger/queries';
import { apiKeyResolver, fileSecretStore, type SecretStore } from './secrets';
import { silentLogger, type Logger } from './log';
import type { CoreConfig } from './config/config';

export interface CoreOptions {
  config: CoreConfig;
  env: Readonly<Record<string, string | undefined>>;
  clock?: Clock;
  log?: Logger;
  /** Injected by tests and by Electron main (keychain-backed). */
  secrets?: SecretStore;
  fetch?: typeof fetch;
  /** ':memory:' for tests that need no file. */
  ledgerPath?: string | ':memory:';
  defaultTimeZone?: string;
}

/** The core's services, built once (the composition root for `sluice serve`, the CLI and Electron main). */
export interface Core {
  config: CoreConfig;
  db: Db;
  clock: Clock;
  log: Logger;
  events: EventBus;
  settings: SettingsStore;
  agents: AgentStore;
  enforcer: BudgetEnforcer;
  queries: LedgerQueries;
  catalog: () => PriceCatalog;
  secrets: SecretStore;
  apiKey: () => string | null;
  anthropic: AnthropicProvider;
  ollama: OllamaProvider;
  sessions: SessionTracker;
  responses: ResponseCache;
  /** Outcomes of routed tasks, and the difficulty model learned from them. */
  outcomes: OutcomeLearner;
  localModels: LocalModelCache;
  close(): void;
}

export function createCore(o: CoreOptions): Core {
  const clock = o.clock ?? systemClock;
  const log = o.log ?? silentLogger;
  const db = openLedger(o.ledgerPath ?? o.config.dataDir);
  const settings = new SettingsStore(db, o.defaultTimeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC');
  const events = new EventBus();
  const enforcer = new BudgetEnforcer(db, settings, clock, events);
  const released = enforcer.releaseOrphans();
  if (released > 0) log.log('info', 'released reservations left by a process that died', { count: released });
  const secrets = o.secrets ?? fileSecretStore(o.config.dataDir);
  const apiKey = apiKeyResolver(o.env, secrets);
  let catalog: { ref: readonly PriceOverride[]; overrides: string; value: PriceCatalog } | null = null;
  const getCatalog = (): PriceCatalog => {
    const overrides = settings.priceOverrides();
    // Asked several times per request: the same list (same object) needs no comparison.
    if (catalog?.ref === overrides) return catalog.value;
    const key = JSON.stringify(overrides);
    if (!catalog || catalog.overrides !== key) catalog = { ref: overrides, overrides: key, value: PriceCatalog.builtIn(overrides) };
    else catalog.ref = overrides;
    return catalog.value;
  };
  const anthropic = createAnthropicProvider({
    apiKey,
    baseURL: o.config.upstreamURL,
    ...(o.fetch ? { fetch: o.fetch } : {}),
    onRetry: (info) => log.log('warn', 'retrying the Anthropic API', info),
  });
  const ollama = createOllamaProvider({ host: o.config.ollamaHost, ...(o.fetch ? { fetch: o.fetch } : {}) });
  const localModels = new LocalModelCache(ollama, log);
  return {
    config: o.config,
    db,
    clock,
    log,
    events,
    settings,
    agents: new AgentStore(db, () => clock.now()),
    enforcer,
    queries: new LedgerQueries(db, settings, clock),
    catalog: getCatalog,
    secrets,
    apiKey,
    anthropic,
    ollama,
    sessions: new SessionTracker(db),
    responses: new ResponseCache(),
    outcomes: new OutcomeLearner(settings),
    localModels,
    close() {
      localModels.stop();
      enforcer.stop();
      db.close();
    },
  };
}
