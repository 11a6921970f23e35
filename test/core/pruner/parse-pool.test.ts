import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inThreadPreparer, workerPreparer } from '../../../electron/core/pruner/parse/parse-pool';
import { contentHash } from '../../../electron/core/pruner/parse/prepare';

const SOURCES: Array<[string, string]> = [
  ['a.ts', "import { b } from './b';\nexport class A { run() { return b(); } }\n"],
  ['b.py', 'from .c import d\n\ndef b():\n    return d()\n'],
  ['c.go', 'package c\nimport "fmt"\nfunc D() { fmt.Println() }\n'],
  ['notes.md', '# Title\n\n## Section\n'],
  ['bin.dat.txt', 'a\0b'],
];

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-pool-'));
  for (const [p, src] of SOURCES) fs.writeFileSync(path.join(root, p), src);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const walked = (p: string) => ({ path: p, size: fs.statSync(path.join(root, p)).size, mtimeMs: 1 });

describe('the parse worker pool', () => {
  it('prepares every file exactly as the calling thread does (facts, terms, skips)', async () => {
    const pool = workerPreparer(2);
    expect(pool).not.toBeNull();
    try {
      for (const [p] of SOURCES) {
        const req = { root, file: walked(p), knownHash: null };
        const [mine, theirs] = await Promise.all([inThreadPreparer.prepare(req), pool?.prepare(req)]);
        expect(theirs).toEqual(mine);
        expect(theirs?.kind).toBe('parsed');
        if (theirs?.kind === 'parsed' && theirs.file.facts) expect(theirs.file.facts.references).toBeInstanceOf(Map);
      }
      expect(pool?.fallbacks()).toBe(0);
    } finally {
      await pool?.close();
    }
  });

  it('answers "unchanged" for content the index already has, and "unreadable" for a file that vanished', async () => {
    const pool = workerPreparer(2);
    try {
      const hash = contentHash(fs.readFileSync(path.join(root, 'a.ts')));
      expect(await pool?.prepare({ root, file: walked('a.ts'), knownHash: hash })).toEqual({ kind: 'unchanged' });
      expect(await pool?.prepare({ root, file: { path: 'gone.ts', size: 1, mtimeMs: 1 }, knownHash: null })).toEqual({ kind: 'unreadable' });
    } finally {
      await pool?.close();
    }
  });

  it('is not used for a single worker, where it could only add overhead', () => {
    expect(workerPreparer(1)).toBeNull();
  });
});
