import { pruneConversation } from '../pruner/conversation/prune-conversation';
import type { AnthropicMessagesRequest } from '../pruner/conversation/types';
import { analyzeMessagesRequest, type MessagesRequest } from './messages-request';
import type { PipelineDeps } from './pipeline';

/**
 * Conversation pruning for agents that opted in: superseded file contents, huge tool outputs and
 * duplicates shrink — but only when the savings over the next turns beat the prompt cache the change
 * throws away (the pruner decides; we pass what the session's last turn cached).
 */
export function pruneHistory(deps: Pick<PipelineDeps, 'catalog' | 'sessions' | 'log'>, mr: MessagesRequest, sessionId: string): MessagesRequest {
  const price = deps.catalog().lookup(mr.model).price;
  const cacheRead = price.rates.input > 0 ? price.rates.cacheRead / price.rates.input : 0.1;
  const last = deps.sessions.pruneState(sessionId);
  try {
    const { request, report } = pruneConversation(mr.body as unknown as AnthropicMessagesRequest, {
      inputRatePerMTok: price.rates.input,
      cacheReadMultiplier: cacheRead,
      ...(last ? { previousRequest: last.sent, cachedPrefixTokens: last.cachedTokens } : {}),
    });
    deps.sessions.rememberSent(sessionId, request);
    if (!report.pruned) return { ...mr, prune: { savedTokens: 0, note: report.reason } };
    const next = analyzeMessagesRequest(request as unknown as Record<string, unknown>);
    return { ...next, prune: { savedTokens: report.savedTokens, note: report.reason } };
  } catch (e) {
    // Pruning is an optimisation: on any surprise, send the request as the agent wrote it.
    deps.log.log('warn', 'conversation pruning skipped', { error: (e as Error).message });
    return mr;
  }
}
