import { describe, expect, it } from 'vitest';
import { SseParser } from '../../../../electron/core/providers/anthropic/sse';
import { UsageTap } from '../../../../electron/core/providers/anthropic/usage-tap';

describe('SseParser', () => {
  it('parses events split anywhere, with CRLF, comments and multi-line data', () => {
    const text = 'event: ping\r\ndata: {"type":"ping"}\r\n\r\n: comment\nevent: message_delta\ndata: {"a":\ndata: 1}\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      const p = new SseParser();
      const events = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
      expect(events).toEqual([
        { event: 'ping', data: '{"type":"ping"}' },
        { event: 'message_delta', data: '{"a":\n1}' },
      ]);
    }
  });
  it('skips the data of events its reader does not want, wherever the chunks split (a lone CR ends a line too)', () => {
    const text = 'event: content_block_delta\ndata: {"text":"a"}\n\nevent: message_delta\rdata: {"usage":1}\r\revent: content_block_delta\r\ndata: x\r\n\r\ndata: bare\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      const p = new SseParser(new Set(['message_delta', 'message']));
      const events = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
      expect(events).toEqual([
        { event: 'message_delta', data: '{"usage":1}' },
        { event: 'message', data: 'bare' },
      ]);
    }
  });
  it('decodes UTF-8 split across chunks', () => {
    const bytes = Buffer.from('event: x\ndata: "héllo 😀"\n\n');
    const p = new SseParser();
    const out = [];
    for (const b of bytes) out.push(...p.push(Uint8Array.of(b)));
    expect(out).toEqual([{ event: 'x', data: '"héllo 😀"' }]);
  });
});

describe('UsageTap', () => {
  it('reads input and cache counts from message_start and output from message_delta', () => {
    const tap = new UsageTap();
    expect(tap.takeStart()).toBeNull();
    tap.push('event: message_start\ndata: {"type":"message_start","message":{"model":"m","usage":{"input_tokens":12,"cache_creation_input_tokens":100,"cache_read_input_tokens":2000,"output_tokens":1}}}\n\n');
    expect(tap.takeStart()?.inputTokens).toBe(12);
    expect(tap.takeStart()).toBeNull();
    tap.push('event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":7}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n');
    expect(tap.takeStart()).toBeNull();
    expect(tap.usage).toEqual({ inputTokens: 12, outputTokens: 7, cacheWrite5mTokens: 100, cacheWrite1hTokens: 0, cacheReadTokens: 2000 });
    expect(tap.sawMessageStop).toBe(true);
    expect(tap.stopReason).toBe('end_turn');
  });
});
