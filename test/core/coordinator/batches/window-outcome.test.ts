import { describe, expect, it } from 'vitest';
import { submissionWindow } from '../../../../electron/core/coordinator/batches/window';
import { batchOutcome } from '../../../../electron/core/coordinator/batches/outcome';

const at = (iso: string) => Date.parse(iso);

describe('submissionWindow', () => {
  it('is always open when no off-peak window is set', () => {
    expect(submissionWindow(at('2026-03-02T12:00:00Z'), 'UTC', null)).toEqual({ open: true });
  });

  it('opens only inside a window that wraps midnight, in the budget time zone', () => {
    const w = { start: '22:00', end: '06:00' };
    // 21:00 and 22:30 in Tokyo (UTC+9).
    const before = submissionWindow(at('2026-03-02T12:00:00Z'), 'Asia/Tokyo', w);
    expect(before.open).toBe(false);
    expect(before.open ? '' : before.reason).toBe('waiting for the off-peak window 22:00–06:00 (Asia/Tokyo)');
    expect(submissionWindow(at('2026-03-02T13:30:00Z'), 'Asia/Tokyo', w).open).toBe(true);
    expect(submissionWindow(at('2026-03-02T20:59:00Z'), 'Asia/Tokyo', w).open).toBe(true); // 05:59
    expect(submissionWindow(at('2026-03-02T21:00:00Z'), 'Asia/Tokyo', w).open).toBe(false); // 06:00
  });
});

describe('batchOutcome', () => {
  it('bills a succeeded result from its usage, cache writes and reads included', () => {
    const o = batchOutcome({
      type: 'succeeded',
      message: {
        id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [], stop_reason: 'end_turn', stop_sequence: null,
        container: null,
        usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 7, cache_read_input_tokens: 3, cache_creation: null, server_tool_use: null, service_tier: 'batch', inference_geo: null },
      } as never,
    });
    expect(o).toMatchObject({ state: 'done', status: 'ok', httpStatus: 200, error: null });
    expect(o.usage).toEqual({ inputTokens: 10, outputTokens: 5, cacheWrite5mTokens: 7, cacheWrite1hTokens: 0, cacheReadTokens: 3 });
  });

  it('records errored, canceled and expired results as errors that cost nothing', () => {
    const errored = batchOutcome({ type: 'errored', error: { type: 'error', request_id: null, error: { type: 'overloaded_error', message: 'Overloaded' } } });
    expect(errored).toMatchObject({ state: 'failed', status: 'error', httpStatus: 529, error: 'overloaded_error: Overloaded' });
    expect(errored.usage.inputTokens + errored.usage.outputTokens).toBe(0);
    expect(batchOutcome({ type: 'canceled' }).error).toMatch(/^canceled/);
    expect(batchOutcome({ type: 'expired' }).error).toMatch(/^expired/);
  });
});
