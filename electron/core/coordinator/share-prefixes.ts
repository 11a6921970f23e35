/**
 * The coordinate step for one request: a Sluice task's agent loop gets its project prefix first in the
 * system prompt; then the end of `tools` is marked for every agent. Both only add a breakpoint or a
 * block in front — nothing the agent sent is reordered or edited.
 */
import crypto from 'node:crypto';
import { chooseProjectTtl, placeProjectPrefix } from './project-prefix';
import type { ProjectPrefixes } from './project-prefixes';
import { shareToolPrefix, type CacheTtl, type PrefixReuse } from './shared-prefix';

export interface ShareDeps {
  prefixes: PrefixReuse;
  projectPrefixes?: ProjectPrefixes;
}

export interface ShareInput {
  body: Record<string, unknown>;
  model: string;
  /** From `x-sluice-task-id`; only honoured when `agentId` is that task's own agent. */
  taskId: string | null;
  agentId: number;
  now: number;
}

export interface Shared {
  body: Record<string, unknown>;
  /** For the route reason (and so the ledger). */
  notes: string[];
  /** Added to the prompt, at the gateway's estimating rate (bytes / 3), for the reservation. */
  addedTokens: number;
  /** The TTLs of the breakpoints added. */
  ttls: CacheTtl[];
}

const sha1 = (...parts: string[]) => {
  const h = crypto.createHash('sha1');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('hex');
};

export async function sharePrefixes(deps: ShareDeps, r: ShareInput): Promise<Shared | null> {
  let body = r.body;
  const notes: string[] = [];
  const ttls: CacheTtl[] = [];
  let addedTokens = 0;
  // The agent loop only: Claude Code's small calls (titles, summaries: no tools) would pay for the bytes and never read them.
  const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
  if (r.taskId && hasTools && deps.projectPrefixes) {
    const prefix = await deps.projectPrefixes.forTask(r.taskId, r.agentId);
    if (prefix) {
      const observed = deps.prefixes.ttlFor(sha1('project', r.model, prefix.text), r.now);
      const choice = chooseProjectTtl(deps.projectPrefixes.reuse(r.taskId, prefix.project), observed);
      const placed = placeProjectPrefix(body, prefix, r.model, choice.ttl);
      if (placed.added) {
        body = placed.body;
        ttls.push(placed.ttl);
        addedTokens += Math.ceil(Buffer.byteLength(prefix.text) / 3);
        notes.push(`project prefix shared (~${prefix.tokens} tokens, ${placed.ttl}: ${placed.ttl === choice.ttl ? choice.why : "the request's own breakpoints decide"})`);
      } else if (placed.why !== 'already there') {
        notes.push(`project prefix not added: ${placed.why}`);
      }
    }
  }
  if (hasTools) {
    const shared = shareToolPrefix(body, r.model, deps.prefixes.ttlFor(sha1('tools', r.model, JSON.stringify(body.tools)), r.now));
    if (shared.added) {
      body = shared.body;
      ttls.push(shared.ttl);
      notes.push(`tools prefix marked for sharing (${shared.ttl})`);
    }
  }
  return notes.length > 0 ? { body, notes, addedTokens, ttls } : null;
}
