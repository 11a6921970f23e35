import { fromAnthropicUsage, mergeUsage, ZERO_USAGE, type AnthropicUsage, type Usage } from '../../../../shared/usage';
import { SseParser } from './sse';

/** The events that carry usage, the end, or a failure; the rest (mostly text deltas) are skipped. */
const USAGE_EVENTS: ReadonlySet<string> = new Set(['message_start', 'message_delta', 'message_stop', 'error']);

/**
 * Reads usage out of an Anthropic SSE stream while the bytes flow to the caller:
 * message_start carries input and cache tokens, message_delta the cumulative output.
 */
export class UsageTap {
  private readonly parser = new SseParser(USAGE_EVENTS);
  usage: Usage = { ...ZERO_USAGE };
  model: string | null = null;
  stopReason: string | null = null;
  sawMessageStart = false;
  sawMessageStop = false;
  error: { type: string; message: string } | null = null;
  /** Called once when message_start reveals the prompt's real size (for topping up the reservation). */
  onStart: ((usage: Usage) => void) | null = null;

  push(chunk: Uint8Array | string): void {
    for (const ev of this.parser.push(chunk)) {
      if (ev.event === 'ping') continue;
      let data: unknown;
      try {
        data = JSON.parse(ev.data);
      } catch {
        continue;
      }
      if (typeof data !== 'object' || data === null) continue;
      const d = data as { type?: string; message?: { model?: string; usage?: AnthropicUsage }; usage?: AnthropicUsage; delta?: { stop_reason?: string }; error?: { type?: string; message?: string } };
      switch (ev.event) {
        case 'message_start':
          this.sawMessageStart = true;
          this.model = d.message?.model ?? null;
          this.usage = mergeUsage(this.usage, fromAnthropicUsage(d.message?.usage));
          this.onStart?.(this.usage);
          break;
        case 'message_delta':
          this.usage = mergeUsage(this.usage, fromAnthropicUsage(d.usage));
          if (d.delta?.stop_reason) this.stopReason = d.delta.stop_reason;
          break;
        case 'message_stop':
          this.sawMessageStop = true;
          break;
        case 'error':
          this.error = { type: d.error?.type ?? 'api_error', message: d.error?.message ?? 'stream error' };
          break;
      }
    }
  }
}
