import { afterEach, describe, expect, it } from 'vitest';
import { buildFileGraph } from '../../../electron/core/pruner/graph/file-graph';
import { buildGraph, personalizedPageRank } from '../../../electron/core/pruner/graph/pagerank';
import { openRepositoryIndex, updateIndex, type RepositoryIndex } from '../../../electron/core/pruner/indexer';
import { makeRepo, SAMPLE_PROJECT, type TempRepo } from './temp-repo';

let repo: TempRepo | undefined;
let index: RepositoryIndex | undefined;
afterEach(() => {
  index?.close();
  repo?.cleanup();
});

function edgesOf(ix: RepositoryIndex): Map<string, number> {
  const g = buildFileGraph(ix.db);
  const out = new Map<string, number>();
  for (let i = 0; i < g.graph.n; i++) {
    for (let e = g.graph.offsets[i] as number; e < (g.graph.offsets[i + 1] as number); e++) {
      out.set(`${g.files[i]?.path} -> ${g.files[g.graph.targets[e] as number]?.path}`, g.graph.weights[e] as number);
    }
  }
  return out;
}

describe('the file graph', () => {
  it('links importers to what they import, in every direction, weaker backwards', async () => {
    repo = makeRepo(SAMPLE_PROJECT);
    index = openRepositoryIndex(repo.root, { dataDir: repo.dataDir });
    await updateIndex(index);
    const edges = edgesOf(index);
    const forward = edges.get('src/cli.ts -> src/parser.ts') ?? 0;
    const backward = edges.get('src/parser.ts -> src/cli.ts') ?? 0;
    expect(forward).toBeGreaterThan(0);
    expect(backward).toBeGreaterThan(0);
    expect(backward).toBeLessThan(forward);
    expect(edges.has('src/parser.ts -> src/lexer.ts')).toBe(true);
    expect(edges.has('test/parser.test.ts -> src/parser.ts')).toBe(true);
    // Python: `from tools.util import bump` resolves by module path.
    expect(edges.has('tools/release.py -> tools/util.py')).toBe(true);
    expect(edges.has('src/lexer.ts -> tools/util.py')).toBe(false);
  });

  it('links a file that uses a name to the file that defines it, without an import', async () => {
    repo = makeRepo({
      'a/shapes.go': 'package a\ntype Circle struct{}\nfunc NewCircle() Circle { return Circle{} }\n',
      'b/draw.go': 'package b\nfunc Draw() { _ = NewCircle() }\n',
      'c/other.go': 'package c\nfunc Other() {}\n',
    });
    index = openRepositoryIndex(repo.root, { dataDir: repo.dataDir });
    await updateIndex(index);
    const edges = edgesOf(index);
    expect(edges.has('b/draw.go -> a/shapes.go')).toBe(true);
    expect([...edges.keys()].some((k) => k.includes('c/other.go'))).toBe(false);
  });
});

describe('personalized PageRank', () => {
  it('ranks the neighbours of the seed above unrelated nodes, and sums to one', () => {
    // 0 -> 1 -> 2, and 3 <-> 4 apart.
    const g = buildGraph(5, [
      [0, 1, 1],
      [1, 2, 1],
      [3, 4, 1],
      [4, 3, 1],
    ]);
    const r = personalizedPageRank(g, new Map([[0, 1]]));
    const sum = r.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 6);
    expect(r[1]).toBeGreaterThan(r[3] as number);
    expect(r[2]).toBeGreaterThan(r[4] as number);
    expect(r[3]).toBe(0);
  });

  it('falls back to plain PageRank without seeds', () => {
    const g = buildGraph(3, [
      [0, 2, 1],
      [1, 2, 1],
    ]);
    const r = personalizedPageRank(g, new Map());
    expect(r[2]).toBeGreaterThan(r[0] as number);
  });
});
