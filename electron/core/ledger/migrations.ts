/**
 * Numbered schema migrations. Append only: a shipped migration is never edited, because a user's
 * ledger already ran it. `user_version` records the last one applied.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the ledger
  `
  CREATE TABLE agents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL DEFAULT 'external' CHECK (kind IN ('external', 'task')),
    daily_cap_micros INTEGER,
    policy TEXT CHECK (policy IN ('queue', 'downgrade', 'reject')),
    -- Conversation pruning at the gateway is opt-in per agent (it changes the prompt prefix).
    prune_conversation INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    last_seen_at TEXT
  );

  -- An agent may hold several tokens (one per terminal it was wired into); only hashes are stored.
  CREATE TABLE agent_tokens (
    token_hash TEXT PRIMARY KEY,
    agent_id INTEGER NOT NULL REFERENCES agents(id),
    hint TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE INDEX agent_tokens_agent ON agent_tokens(agent_id);

  CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    agent_id INTEGER REFERENCES agents(id),
    prompt TEXT NOT NULL,
    project TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    paused_reason TEXT,
    priority TEXT NOT NULL DEFAULT 'normal',
    tier TEXT,
    model TEXT,
    route_reason TEXT,
    cap_micros INTEGER,
    session_id TEXT,
    branch TEXT,
    worktree TEXT,
    current_step TEXT,
    turns INTEGER NOT NULL DEFAULT 0,
    context_tokens INTEGER,
    error TEXT,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX tasks_state ON tasks(state, priority, created_at);

  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    agent_id INTEGER REFERENCES agents(id),
    task_id TEXT REFERENCES tasks(id),
    model TEXT,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
  );

  CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    budget_day TEXT NOT NULL,
    hour INTEGER NOT NULL,
    agent_id INTEGER REFERENCES agents(id),
    session_id TEXT,
    task_id TEXT,
    provider TEXT NOT NULL,
    model_requested TEXT NOT NULL,
    model_used TEXT NOT NULL,
    tier TEXT,
    route_reason TEXT NOT NULL DEFAULT '',
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cache_write_5m_tokens INTEGER NOT NULL DEFAULT 0,
    cache_write_1h_tokens INTEGER NOT NULL DEFAULT 0,
    cache_read_tokens INTEGER NOT NULL DEFAULT 0,
    cost_micros INTEGER NOT NULL DEFAULT 0,
    baseline_micros INTEGER NOT NULL DEFAULT 0,
    price_flag TEXT NOT NULL DEFAULT 'ok',
    batch INTEGER NOT NULL DEFAULT 0,
    stream INTEGER NOT NULL DEFAULT 0,
    latency_ms INTEGER,
    ttfb_ms INTEGER,
    status TEXT NOT NULL CHECK (status IN ('ok', 'error', 'aborted', 'rejected')),
    http_status INTEGER,
    error TEXT,
    pruned_tokens INTEGER NOT NULL DEFAULT 0,
    prune_note TEXT
  );
  CREATE INDEX requests_day ON requests(budget_day, hour);
  CREATE INDEX requests_agent_day ON requests(agent_id, budget_day);
  CREATE INDEX requests_session ON requests(session_id);
  CREATE INDEX requests_day_session ON requests(budget_day, session_id, status, cost_micros);
  CREATE INDEX requests_task ON requests(task_id);

  -- Running totals per budget day and agent, kept in the same transaction as each settled request,
  -- so admission reads O(1) rows instead of summing the day's requests.
  CREATE TABLE daily_spend (
    budget_day TEXT NOT NULL,
    agent_id INTEGER NOT NULL DEFAULT 0,
    spent_micros INTEGER NOT NULL DEFAULT 0,
    tokens INTEGER NOT NULL DEFAULT 0,
    requests INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (budget_day, agent_id)
  );

  -- Hourly rollup per agent and model, maintained with each settled request: the UI's aggregations
  -- read a few hundred rows instead of scanning a day of requests (1M-row ledgers stay instant).
  CREATE TABLE spend_hourly (
    budget_day TEXT NOT NULL,
    hour INTEGER NOT NULL,
    agent_id INTEGER NOT NULL DEFAULT 0,
    model TEXT NOT NULL,
    requests INTEGER NOT NULL DEFAULT 0,
    cost_micros INTEGER NOT NULL DEFAULT 0,
    baseline_micros INTEGER NOT NULL DEFAULT 0,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cache_write_5m_tokens INTEGER NOT NULL DEFAULT 0,
    cache_write_1h_tokens INTEGER NOT NULL DEFAULT 0,
    cache_read_tokens INTEGER NOT NULL DEFAULT 0,
    unknown_price INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (budget_day, hour, agent_id, model)
  );

  CREATE TABLE reservations (
    id TEXT PRIMARY KEY,
    budget_day TEXT NOT NULL,
    agent_id INTEGER NOT NULL DEFAULT 0,
    amount_micros INTEGER NOT NULL,
    tokens INTEGER NOT NULL DEFAULT 0,
    pid INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX reservations_day ON reservations(budget_day);

  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );

  CREATE TABLE work_queue (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    agent_id INTEGER,
    task_id TEXT,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'running', 'done', 'failed', 'cancelled')),
    reason TEXT NOT NULL,
    not_before TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX work_queue_state ON work_queue(state, not_before);

  CREATE TABLE threshold_events (
    budget_day TEXT NOT NULL,
    scope TEXT NOT NULL,
    percent INTEGER NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (budget_day, scope, percent)
  );
  `,
  // 2: the agent runner — isolation, ownership across processes, budget pauses, refusals the user sees
  `
  ALTER TABLE tasks ADD COLUMN isolation TEXT NOT NULL DEFAULT 'worktree' CHECK (isolation IN ('worktree', 'in_place'));
  ALTER TABLE tasks ADD COLUMN repo_root TEXT;
  ALTER TABLE tasks ADD COLUMN base_commit TEXT;
  ALTER TABLE tasks ADD COLUMN branch_state TEXT CHECK (branch_state IN ('open', 'merged', 'discarded'));
  -- The runner ("pid:instance") that holds a task while it starts or runs; a dead owner means a crash.
  ALTER TABLE tasks ADD COLUMN owner TEXT;
  -- pause / cancel asked by another process (\`sluice pause ID\` while \`sluice serve\` runs the task).
  ALTER TABLE tasks ADD COLUMN control TEXT CHECK (control IN ('pause', 'cancel'));
  -- Why a task paused for budget waits, as JSON (which limit, on which budget day, at what amount).
  ALTER TABLE tasks ADD COLUMN pause_json TEXT;
  ALTER TABLE tasks ADD COLUMN result TEXT;
  -- What Claude Code itself reported (total_cost_usd), kept beside the ledger's exact sum.
  ALTER TABLE tasks ADD COLUMN engine_cost_micros INTEGER;
  ALTER TABLE tasks ADD COLUMN run_ms INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE tasks ADD COLUMN run_started_at TEXT;
  CREATE INDEX tasks_owner ON tasks(owner);

  -- Tool calls the runner's permission policy refused, with the reason shown to the user.
  CREATE TABLE task_denials (
    id INTEGER PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES tasks(id),
    at TEXT NOT NULL,
    tool TEXT NOT NULL,
    target TEXT NOT NULL,
    reason TEXT NOT NULL
  );
  CREATE INDEX task_denials_task ON task_denials(task_id);
  `,
  // 3: what context each task was given (the brief's files), for the UI
  `
  ALTER TABLE tasks ADD COLUMN context_files TEXT;
  `,
  // 4: a retry on a stronger tier points at the task it retries (the router learns the original failed)
  `
  ALTER TABLE tasks ADD COLUMN retry_of TEXT REFERENCES tasks(id);
  CREATE INDEX tasks_retry_of ON tasks(retry_of) WHERE retry_of IS NOT NULL;
  `,
  // 5: deferrable tasks — one Messages request through the Message Batches API instead of an agent run
  `
  ALTER TABLE tasks ADD COLUMN mode TEXT NOT NULL DEFAULT 'agent' CHECK (mode IN ('agent', 'batch'));
  -- The work_queue item of the task's current attempt; written before the item exists, used as its id.
  ALTER TABLE tasks ADD COLUMN batch_item TEXT;
  `,
  // 6: requests_day duplicated the first column of requests_day_session; every index is one more
  // B-tree written per request on the gateway's hot path.
  `
  DROP INDEX IF EXISTS requests_day;
  `,
];
