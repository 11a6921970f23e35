import { createHash } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Ollama's tool calls carry no id that Anthropic clients could echo back in `tool_result`, so we
 * mint one shaped like Anthropic's (`toolu_01` + 22 base62). It is derived from the message id and
 * the call's position, so the JSON and the streamed answer to the same message name a call alike.
 */
export function toolUseId(messageId: string, index: number): string {
  const digest = createHash('sha256').update(`${messageId}#${index}`).digest();
  let out = '';
  for (let i = 0; i < 22; i++) out += BASE62[(digest[i] ?? 0) % 62];
  return `toolu_01${out}`;
}
