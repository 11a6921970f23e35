import { describe, expect, it } from 'vitest';
import { packBatches } from '../../../../electron/core/coordinator/batches/pack';
import { API_BATCH_LIMITS } from '../../../../electron/core/coordinator/batches/types';

const sized = (n: number, bytes: number) => Array.from({ length: n }, (_, i) => ({ item: i, bytes }));

describe('packBatches', () => {
  it('puts everything in one batch when it fits, oldest first', () => {
    expect(packBatches(sized(5, 100), API_BATCH_LIMITS)).toEqual({ batches: [[0, 1, 2, 3, 4]], tooLarge: [] });
  });

  it('starts a new batch at the request-count limit', () => {
    const p = packBatches(sized(5, 10), { maxRequests: 2, maxBytes: 1_000_000 });
    expect(p.batches).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('starts a new batch before the byte limit, counting the envelope and the commas', () => {
    // envelope 16 + 40 + 1 + 40 = 97 fits in 100; a third entry would not.
    const p = packBatches(sized(3, 40), { maxRequests: 100, maxBytes: 97 });
    expect(p.batches).toEqual([[0, 1], [2]]);
    expect(packBatches(sized(2, 40), { maxRequests: 100, maxBytes: 96 }).batches).toEqual([[0], [1]]);
  });

  it('sets aside a request too large for any batch and keeps packing the rest', () => {
    const entries = [{ item: 'a', bytes: 10 }, { item: 'huge', bytes: 500 }, { item: 'b', bytes: 10 }];
    expect(packBatches(entries, { maxRequests: 10, maxBytes: 100 })).toEqual({ batches: [['a', 'b']], tooLarge: ['huge'] });
  });

  it('uses the documented API limits: 100,000 requests or 256 MB', () => {
    expect(API_BATCH_LIMITS.maxRequests).toBe(100_000);
    expect(API_BATCH_LIMITS.maxBytes).toBeLessThanOrEqual(256 * 1024 * 1024);
    expect(packBatches(sized(100_001, 20), API_BATCH_LIMITS).batches.map((b) => b.length)).toEqual([100_000, 1]);
  });
});
