import crypto from 'node:crypto';
import type { Db } from './db';
import type { Micros } from '../../../shared/money';
import type { BudgetPolicy } from '../../../shared/contract';

export interface Agent {
  id: number;
  name: string;
  kind: 'external' | 'task';
  dailyCapMicros: Micros | null;
  policy: BudgetPolicy | null;
  createdAt: string;
  revokedAt: string | null;
  lastSeenAt: string | null;
  tokenHint: string | null;
}

interface AgentRowDb {
  id: number;
  name: string;
  kind: 'external' | 'task';
  daily_cap_micros: number | null;
  policy: BudgetPolicy | null;
  created_at: string;
  revoked_at: string | null;
  last_seen_at: string | null;
  token_hint: string | null;
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

export class AgentStore {
  private readonly byHash;
  private readonly byName;
  private readonly touch;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {
    this.byHash = db.prepare<[string], AgentRowDb>('SELECT * FROM agents WHERE token_hash = ? AND revoked_at IS NULL');
    this.byName = db.prepare<[string], AgentRowDb>('SELECT * FROM agents WHERE name = ?');
    this.touch = db.prepare('UPDATE agents SET last_seen_at = ? WHERE id = ?');
  }

  /** Creates an agent and returns its token — the only time the token exists in clear. */
  create(name: string, opts: { dailyCapMicros?: Micros | null; kind?: 'external' | 'task'; policy?: BudgetPolicy | null } = {}): { agent: Agent; token: string } {
    if (!isValidAgentName(name)) {
      throw new Error(`"${name}" is not a valid agent name: use letters, digits, ".", "_" or "-" (up to 64).`);
    }
    const existing = this.byName.get(name);
    if (existing && existing.revoked_at === null) throw new Error(`An agent named "${name}" already exists; revoke it first or pick another name.`);
    const token = TOKEN_PREFIX + crypto.randomBytes(24).toString('base64url');
    const at = new Date(this.now()).toISOString();
    const cap = opts.dailyCapMicros ?? null;
    if (existing) {
      this.db
        .prepare('UPDATE agents SET token_hash = ?, token_hint = ?, daily_cap_micros = ?, kind = ?, policy = ?, revoked_at = NULL, created_at = ? WHERE id = ?')
        .run(hashToken(token), token.slice(-4), cap, opts.kind ?? 'external', opts.policy ?? null, at, existing.id);
    } else {
      this.db
        .prepare('INSERT INTO agents (name, kind, token_hash, token_hint, daily_cap_micros, policy, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(name, opts.kind ?? 'external', hashToken(token), token.slice(-4), cap, opts.policy ?? null, at);
    }
    return { agent: this.get(name) as Agent, token };
  }

  authenticate(token: string): Agent | null {
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const row = this.byHash.get(hashToken(token));
    if (!row) return null;
    this.touch.run(new Date(this.now()).toISOString(), row.id);
    return toAgent(row);
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

  revoke(name: string): boolean {
    const r = this.db.prepare('UPDATE agents SET revoked_at = ?, token_hash = NULL WHERE name = ? AND revoked_at IS NULL').run(new Date(this.now()).toISOString(), name);
    return r.changes > 0;
  }

  setCap(name: string, dailyCapMicros: Micros | null): Agent | null {
    this.db.prepare('UPDATE agents SET daily_cap_micros = ? WHERE name = ?').run(dailyCapMicros, name);
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
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    lastSeenAt: r.last_seen_at,
    tokenHint: r.token_hint,
  };
}
