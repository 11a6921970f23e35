import crypto from 'node:crypto';
import { dataVersion, type Db } from './db';
import type { Micros } from '../../../shared/money';
import type { BudgetPolicy } from '../../../shared/contract';

export interface Agent {
  id: number;
  name: string;
  kind: 'external' | 'task';
  dailyCapMicros: Micros | null;
  policy: BudgetPolicy | null;
  pruneConversation: boolean;
  createdAt: string;
  revokedAt: string | null;
  lastSeenAt: string | null;
}

interface AgentRowDb {
  id: number;
  name: string;
  kind: 'external' | 'task';
  daily_cap_micros: number | null;
  policy: BudgetPolicy | null;
  prune_conversation: number;
  created_at: string;
  revoked_at: string | null;
  last_seen_at: string | null;
}

const TOKEN_PREFIX = 'sk-sluice-';
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Tokens are stored as SHA-256 only: a leaked ledger cannot be replayed against the gateway. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

export function isValidAgentName(name: string): boolean {
  return NAME.test(name);
}

export class AgentError extends Error {
  override readonly name = 'AgentError';
}

/** Bumped by every agent write in this process (data_version only moves for other processes' writes). */
const localWrites = new WeakMap<Db, number>();

/** Authenticated tokens kept in memory at most (a bound, not a working-set estimate). */
const TOKEN_CACHE_MAX = 1024;

export class AgentStore {
  /**
   * Tokens already checked, while nothing about agents can have changed: no agent write here and the
   * same data_version (no commit by another process, such as `sluice agents revoke`). Hashing the
   * token and a join per request were a tenth of the gateway's CPU.
   */
  private readonly known = new Map<string, { agent: Agent; seenAt: number }>();
  private knownAt = { version: -1, writes: -1 };
  private readonly byHash;
  private readonly byName;
  private readonly touch;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {
    this.byHash = db.prepare<[string], AgentRowDb>(
      `SELECT a.* FROM agent_tokens t JOIN agents a ON a.id = t.agent_id
       WHERE t.token_hash = ? AND t.revoked_at IS NULL AND a.revoked_at IS NULL`,
    );
    this.byName = db.prepare<[string], AgentRowDb>('SELECT * FROM agents WHERE name = ?');
    this.touch = db.prepare('UPDATE agents SET last_seen_at = ? WHERE id = ?');
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  /** Creates an agent and its first token — the only time the token exists in clear. */
  create(name: string, opts: { dailyCapMicros?: Micros | null; kind?: 'external' | 'task'; policy?: BudgetPolicy | null } = {}): { agent: Agent; token: string } {
    if (!isValidAgentName(name)) {
      throw new AgentError(`"${name}" is not a valid agent name: use letters, digits, ".", "_" or "-" (up to 64, starting with a letter or digit).`);
    }
    const existing = this.byName.get(name);
    if (existing && existing.revoked_at === null) throw new AgentError(`An agent named "${name}" already exists; revoke it first or pick another name.`);
    return this.db.transaction(() => {
      const at = this.iso();
      if (existing) {
        this.db
          .prepare('UPDATE agents SET daily_cap_micros = ?, kind = ?, policy = ?, revoked_at = NULL, created_at = ? WHERE id = ?')
          .run(opts.dailyCapMicros ?? null, opts.kind ?? 'external', opts.policy ?? null, at, existing.id);
      } else {
        this.db
          .prepare('INSERT INTO agents (name, kind, daily_cap_micros, policy, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(name, opts.kind ?? 'external', opts.dailyCapMicros ?? null, opts.policy ?? null, at);
      }
      const agent = this.get(name) as Agent;
      this.wrote();
      return { agent, token: this.addToken(agent.id) };
    })();
  }

  /** A further token for an existing agent (another terminal); earlier tokens keep working. */
  issueToken(name: string): string {
    const agent = this.get(name);
    if (!agent || agent.revokedAt) throw new AgentError(`No agent named "${name}". Create it with \`sluice agents add ${name}\`.`);
    return this.addToken(agent.id);
  }

  private addToken(agentId: number): string {
    const token = TOKEN_PREFIX + crypto.randomBytes(24).toString('base64url');
    this.db.prepare('INSERT INTO agent_tokens (token_hash, agent_id, hint, created_at) VALUES (?, ?, ?, ?)').run(hashToken(token), agentId, token.slice(-4), this.iso());
    this.wrote();
    return token;
  }

  authenticate(token: string): Agent | null {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
    const version = dataVersion(this.db);
    const writes = localWrites.get(this.db) ?? 0;
    if (this.knownAt.version !== version || this.knownAt.writes !== writes || this.known.size >= TOKEN_CACHE_MAX) {
      this.known.clear();
      this.knownAt = { version, writes };
    }
    const now = this.now();
    const hit = this.known.get(token);
    // Last-seen is for people: once a minute per agent is plenty, and keeps a write off the hot path.
    if (hit && now - hit.seenAt <= 60_000) return hit.agent;
    const row = this.byHash.get(hashToken(token));
    if (!row) return null;
    let seenAt = row.last_seen_at ? Date.parse(row.last_seen_at) : 0;
    if (now - seenAt > 60_000) {
      this.touch.run(new Date(now).toISOString(), row.id);
      seenAt = now;
    }
    const agent = toAgent(row);
    this.known.set(token, { agent, seenAt });
    return agent;
  }

  /** Every write to agents or tokens goes through here, so cached authentications are dropped. */
  private wrote(): void {
    localWrites.set(this.db, (localWrites.get(this.db) ?? 0) + 1);
  }

  get(name: string): Agent | null {
    const row = this.byName.get(name);
    return row ? toAgent(row) : null;
  }

  getById(id: number): Agent | null {
    const row = this.db.prepare<[number], AgentRowDb>('SELECT * FROM agents WHERE id = ?').get(id);
    return row ? toAgent(row) : null;
  }

  list(): Agent[] {
    return this.db.prepare<[], AgentRowDb>('SELECT * FROM agents ORDER BY name').all().map(toAgent);
  }

  /** Revokes the agent and every token it holds. Its recorded spend stays in the ledger. */
  revoke(name: string): boolean {
    const agent = this.get(name);
    if (!agent || agent.revokedAt) return false;
    const at = this.iso();
    this.db.transaction(() => {
      this.db.prepare('UPDATE agents SET revoked_at = ? WHERE id = ?').run(at, agent.id);
      this.db.prepare('UPDATE agent_tokens SET revoked_at = ? WHERE agent_id = ? AND revoked_at IS NULL').run(at, agent.id);
    })();
    this.wrote();
    return true;
  }

  setPruning(name: string, on: boolean): Agent | null {
    this.db.prepare('UPDATE agents SET prune_conversation = ? WHERE name = ?').run(on ? 1 : 0, name);
    this.wrote();
    return this.get(name);
  }

  setCap(name: string, dailyCapMicros: Micros | null): Agent | null {
    this.db.prepare('UPDATE agents SET daily_cap_micros = ? WHERE name = ?').run(dailyCapMicros, name);
    this.wrote();
    return this.get(name);
  }
}

function toAgent(r: AgentRowDb): Agent {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    dailyCapMicros: r.daily_cap_micros,
    policy: r.policy,
    pruneConversation: r.prune_conversation === 1,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    lastSeenAt: r.last_seen_at,
  };
}
