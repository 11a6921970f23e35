import type { IncomingHttpHeaders } from 'node:http';
import type { Db } from '../ledger/db';
import { promptTokens, type Usage } from '../../../shared/usage';
import type { AnthropicMessagesRequest } from '../pruner/conversation/types';

/** Requests of one agent closer together than this belong to one session when the caller names none. */
const BURST_GAP_MS = 30 * 60 * 1000;

/**
 * Attribution of a request to a session: Claude Code's `x-claude-code-session-id`, else
 * `metadata.user_id`, else one session per burst of requests from the same agent.
 */
export class SessionTracker {
  private readonly bursts = new Map<number, { id: string; lastSeen: number }>();
  private readonly models = new Map<string, string>();
  /** When each session's row was last written: last-seen is for people, once a minute is plenty. */
  private readonly written = new Map<string, number>();
  private readonly upsert;

  constructor(db: Db) {
    this.upsert = db.prepare(`INSERT INTO sessions (id, agent_id, task_id, model, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET last_seen_at = excluded.last_seen_at, model = COALESCE(excluded.model, sessions.model)`);
  }

  attribute(agentId: number, headers: IncomingHttpHeaders, metadataUserId: string | null, now: number, taskId: string | null = null): string {
    const header = headers['x-claude-code-session-id'];
    let id = typeof header === 'string' && header.trim() !== '' ? header.trim().slice(0, 200) : null;
    if (!id && metadataUserId) id = `user:${metadataUserId.slice(0, 200)}`;
    if (!id) {
      const burst = this.bursts.get(agentId);
      id = burst && now - burst.lastSeen < BURST_GAP_MS ? burst.id : `burst:${agentId}:${new Date(now).toISOString()}`;
      this.bursts.set(agentId, { id, lastSeen: now });
    }
    const last = this.written.get(id);
    if (last === undefined || now - last > 60_000) {
      const at = new Date(now).toISOString();
      this.upsert.run(id, agentId, taskId, null, at, at);
      this.written.set(id, now);
      if (this.written.size > 10_000) this.written.delete(this.written.keys().next().value as string);
    }
    return id;
  }

  private readonly cacheReads = new Map<string, number>();
  private readonly sent = new Map<string, { sent: AnthropicMessagesRequest; cachedTokens: number }>();

  /** What the session's last turn sent (for cache-aware pruning) and how much of it the provider cached. */
  pruneState(sessionId: string): { sent: AnthropicMessagesRequest; cachedTokens: number } | null {
    return this.sent.get(sessionId) ?? null;
  }

  rememberSent(sessionId: string, request: AnthropicMessagesRequest): void {
    const prior = this.sent.get(sessionId);
    this.sent.set(sessionId, { sent: request, cachedTokens: prior?.cachedTokens ?? 0 });
    if (this.sent.size > 2_000) this.sent.delete(this.sent.keys().next().value as string);
  }

  /**
   * A "broken cache": the session read ≥ 1,024 cached tokens last time, and now, with at least as
   * much prompt, reads none. Returns the tokens that lost their cache discount, or null.
   */
  cacheBroken(sessionId: string, usage: Usage): number | null {
    const before = this.cacheReads.get(sessionId) ?? 0;
    this.cacheReads.set(sessionId, usage.cacheReadTokens);
    const s = this.sent.get(sessionId);
    if (s) s.cachedTokens = usage.cacheReadTokens + usage.cacheWrite5mTokens + usage.cacheWrite1hTokens;
    if (this.cacheReads.size > 10_000) this.cacheReads.delete(this.cacheReads.keys().next().value as string);
    if (before >= 1024 && usage.cacheReadTokens === 0 && promptTokens(usage) >= before) return before;
    return null;
  }

  /** The prompt tokens the session's last request read from cache (how warm its cache is). */
  cachedTokensOf(sessionId: string): number {
    return this.cacheReads.get(sessionId) ?? 0;
  }

  /** The model a session last used, for prompt-cache affinity. */
  modelOf(sessionId: string): string | null {
    return this.models.get(sessionId) ?? null;
  }

  recordModel(sessionId: string, model: string): void {
    this.models.set(sessionId, model);
    if (this.models.size > 10_000) this.models.delete(this.models.keys().next().value as string);
  }
}
