/** The context pruner: repository briefs for new tasks, history pruning for long conversations. */
export { buildBrief, DEFAULT_BUDGET_TOKENS, type BriefTuning } from './brief/build-brief';
export { pruneConversation } from './conversation/prune-conversation';
export type {
  AnthropicMessage,
  AnthropicMessagesRequest,
  ContentBlock,
  PruneAction,
  PruneOptions,
  PruneReport,
  PruneResult,
} from './conversation/types';
export { openRepositoryIndex, updateIndex, updateIndexedFiles, type IndexStats, type RepositoryIndex } from './indexer';
export type { BriefFile, BuildBriefInput, ContextBrief, SkippedPath, SkipReason } from './types';
