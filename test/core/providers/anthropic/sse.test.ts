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

describe('SseParser passing over chunks of unwanted events', () => {
  /** An answer as Anthropic streams it, with texts that sometimes name a wanted event, CRLF events and multi-byte characters. */
  function answer(seed: number): string {
    let x = seed;
    const rand = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const words = ['hello', 'error', 'message_delta', 'é😀', 'data:', 'event: ping', '\\n'];
    let out = 'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":9,"output_tokens":1}}}\n\n';
    out += 'event: content_block_start\ndata: {"type":"content_block_start","index":0}\n\n';
    for (let i = 0; i < 30; i++) {
      const text = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => words[Math.floor(rand() * words.length)]).join(' ');
      const nl = rand() < 0.2 ? '\r\n' : '\n';
      out += `event: content_block_delta${nl}data: ${JSON.stringify({ type: 'content_block_delta', delta: { text } })}${nl}${nl}`;
      if (rand() < 0.1) out += 'event: ping\ndata: {"type":"ping"}\n\n';
    }
    out += 'event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":42}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n';
    return out;
  }

  it('returns the same events as a full parse, whether chunks end at events or anywhere', () => {
    const wanted = new Set(['message_start', 'message_delta', 'message_stop', 'error']);
    let skipped = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const bytes = Buffer.from(answer(seed));
      const full = new SseParser().push(bytes).filter((e) => wanted.has(e.event));
      // Chunks that end at event boundaries (as an upstream writes them), then at random cuts.
      const boundaries: number[] = [];
      for (let i = bytes.indexOf('\n\n'); i >= 0; i = bytes.indexOf('\n\n', i + 2)) boundaries.push(i + 2);
      const random = Array.from({ length: 12 }, (_, k) => Math.floor(((seed * 7919 + k * 104729) % 1000) / 1000 * bytes.length)).sort((a, b) => a - b);
      for (const cuts of [boundaries, random, [...boundaries, ...random].sort((a, b) => a - b)]) {
        const p = new SseParser(wanted);
        const got = [];
        let from = 0;
        for (const c of [...cuts, bytes.length]) {
          got.push(...p.push(bytes.subarray(from, c)));
          from = c;
        }
        expect(got, `seed ${seed}`).toEqual(full);
        skipped += p.skippedChunks;
      }
    }
    // The comparison means something only if chunks were passed over.
    expect(skipped).toBeGreaterThan(500);
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
