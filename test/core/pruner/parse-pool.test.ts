import { describe, expect, it } from 'vitest';
import { inThreadExtractor, workerExtractor } from '../../../electron/core/pruner/parse/parse-pool';

const SOURCES: Array<[string, string]> = [
  ['a.ts', "import { b } from './b';\nexport class A { run() { return b(); } }\n"],
  ['b.py', 'from .c import d\n\ndef b():\n    return d()\n'],
  ['c.go', 'package c\nimport "fmt"\nfunc D() { fmt.Println() }\n'],
  ['notes.md', '# Title\n\n## Section\n'],
];

describe('the parse worker pool', () => {
  it('extracts the same facts as the calling thread', async () => {
    const pool = workerExtractor(2);
    expect(pool).not.toBeNull();
    try {
      for (const [p, src] of SOURCES) {
        const [mine, theirs] = await Promise.all([inThreadExtractor.extract(p, src), pool?.extract(p, src)]);
        expect(theirs).toEqual(mine);
        expect(theirs?.references).toBeInstanceOf(Map);
      }
      expect(pool?.fallbacks()).toBe(0);
    } finally {
      await pool?.close();
    }
  });

  it('is not used for a single worker, where it could only add overhead', () => {
    expect(workerExtractor(1)).toBeNull();
  });
});
