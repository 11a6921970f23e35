/** A weighted directed graph over nodes 0..n-1, in compressed sparse row form. */
export interface WeightedGraph {
  n: number;
  /** Out-edges of node i are targets[offsets[i] .. offsets[i+1]). */
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float64Array;
}

export function buildGraph(n: number, edges: Iterable<readonly [number, number, number]>): WeightedGraph {
  const merged = new Map<number, number>();
  for (const [from, to, w] of edges) {
    if (from === to || w <= 0) continue;
    const key = from * n + to;
    merged.set(key, (merged.get(key) ?? 0) + w);
  }
  const keys = Float64Array.from(merged.keys()).sort();
  const offsets = new Int32Array(n + 1);
  const targets = new Int32Array(keys.length);
  const weights = new Float64Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as number;
    const from = Math.floor(key / n);
    offsets[from + 1] = (offsets[from + 1] as number) + 1;
    targets[i] = key % n;
    weights[i] = merged.get(key) as number;
  }
  for (let i = 0; i < n; i++) offsets[i + 1] = (offsets[i + 1] as number) + (offsets[i] as number);
  return { n, offsets, targets, weights };
}

/**
 * Personalized PageRank by power iteration: a walker follows weighted edges and, with
 * probability 1 − damping (and from nodes with no way out), jumps back to the seeds in
 * proportion to their weight. Ranks sum to 1. Deterministic: fixed iteration order.
 */
export function personalizedPageRank(
  g: WeightedGraph,
  seeds: ReadonlyMap<number, number>,
  damping = 0.85,
  iterations = 40,
): Float64Array {
  const n = g.n;
  const p = new Float64Array(n);
  let seedSum = 0;
  for (const [i, w] of seeds) if (w > 0 && i < n) seedSum += w;
  if (n === 0) return p;
  if (seedSum === 0) p.fill(1 / n);
  else for (const [i, w] of seeds) if (w > 0 && i < n) p[i] = w / seedSum;

  const outWeight = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let e = g.offsets[i] as number; e < (g.offsets[i + 1] as number); e++) s += g.weights[e] as number;
    outWeight[i] = s;
  }
  let rank = Float64Array.from(p);
  for (let it = 0; it < iterations; it++) {
    const next = new Float64Array(n);
    let dangling = 0;
    for (let i = 0; i < n; i++) {
      const r = rank[i] as number;
      const ow = outWeight[i] as number;
      if (ow === 0) {
        dangling += r;
        continue;
      }
      for (let e = g.offsets[i] as number; e < (g.offsets[i + 1] as number); e++) {
        const t = g.targets[e] as number;
        next[t] = (next[t] as number) + (damping * r * (g.weights[e] as number)) / ow;
      }
    }
    const jump = 1 - damping + damping * dangling;
    for (let i = 0; i < n; i++) next[i] = (next[i] as number) + jump * (p[i] as number);
    rank = next;
  }
  return rank;
}
