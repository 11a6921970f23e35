/**
 * Anthropic Messages ⇄ Ollama /api/chat, both ways, as pure functions. The gateway routes an
 * Anthropic request to a local model with `anthropicToOllama` (after `readMessagesBody`), and
 * answers the caller with `ollamaToAnthropic` (JSON) or `AnthropicSseEncoder` (streaming).
 */
import type { ChatResponse, Message, Tool, ToolCall } from 'ollama';

export type OllamaChatResponse = ChatResponse;
export type OllamaMessage = Message;
export type OllamaTool = Tool;
export type OllamaToolCall = ToolCall;

export { anthropicToOllama } from './request';
export type { OllamaChatRequest, ToOllamaOptions } from './request';
export { ollamaToAnthropic, ollamaUsage, stopReasonOf, toolArguments } from './response';
export { AnthropicSseEncoder } from './sse-encoder';
export type { AnthropicSseContext } from './sse-encoder';
export { readMessagesBody, InvalidMessagesBody } from './read-body';
export type * from './anthropic-types';
