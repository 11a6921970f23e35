/** A weighted directed graph over nodes 0..n-1, in compressed sparse row form. */
export interface WeightedGraph {
  n: number;
  /** Out-edges of node i are targets[offsets[i] .. offsets[i+1]). */
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float64Array;
}

/** Edges as they are found, in growable typed arrays (a repository's graph runs to millions of them). */
export class EdgeList {
  from = new Int32Array(1024);
  to = new Int32Array(1024);
  weight = new Float64Array(1024);
  length = 0;

  add(from: number, to: number, weight: number): void {
    if (this.length === this.from.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.from = grow(this.from, (n) => new Int32Array(n));
      this.to = grow(this.to, (n) => new Int32Array(n));
      this.weight = grow(this.weight, (n) => new Float64Array(n));
    }
    this.from[this.length] = from;
    this.to[this.length] = to;
    this.weight[this.length] = weight;
    this.length++;
  }
}

/** Bits for an edge's position within its source's slice when sorting a slice by target. */
const SLOT_BITS = 2 ** 22;

/**
 * Compressed sparse rows from an edge list; parallel edges are merged by summing their weights in
 * the order they were added, so the same edges in the same order always give the same graph.
 */
export function buildGraph(n: number, edges: EdgeList | Iterable<readonly [number, number, number]>): WeightedGraph {
  let list: EdgeList;
  if (edges instanceof EdgeList) list = edges;
  else {
    list = new EdgeList();
    for (const [from, to, w] of edges) list.add(from, to, w);
  }
  const keep = (e: number): boolean => list.from[e] !== list.to[e] && (list.weight[e] as number) > 0;
  // Bucket the edges by source, keeping their order, then sort each bucket by target and merge.
  const start = new Int32Array(n + 1);
  for (let e = 0; e < list.length; e++) {
    if (!keep(e)) continue;
    const at = (list.from[e] as number) + 1;
    start[at] = (start[at] as number) + 1;
  }
  for (let i = 0; i < n; i++) start[i + 1] = (start[i + 1] as number) + (start[i] as number);
  const fill = start.slice(0, n);
  const rawTo = new Int32Array(start[n] as number);
  const rawW = new Float64Array(start[n] as number);
  for (let e = 0; e < list.length; e++) {
    if (!keep(e)) continue;
    const src = list.from[e] as number;
    const at = fill[src] as number;
    fill[src] = at + 1;
    rawTo[at] = list.to[e] as number;
    rawW[at] = list.weight[e] as number;
  }
  const offsets = new Int32Array(n + 1);
  const targets = new Int32Array(rawTo.length);
  const weights = new Float64Array(rawTo.length);
  let out = 0;
  for (let i = 0; i < n; i++) {
    const lo = start[i] as number;
    const len = (start[i + 1] as number) - lo;
    if (len > 0) {
      if (len >= SLOT_BITS) throw new Error(`a file with ${len} edges is more than the graph supports`);
      const keys = new Float64Array(len);
      for (let k = 0; k < len; k++) keys[k] = (rawTo[lo + k] as number) * SLOT_BITS + k;
      keys.sort();
      let last = -1;
      for (let k = 0; k < len; k++) {
        const key = keys[k] as number;
        const t = Math.floor(key / SLOT_BITS);
        const w = rawW[lo + (key - t * SLOT_BITS)] as number;
        if (t === last) weights[out - 1] = (weights[out - 1] as number) + w;
        else {
          targets[out] = t;
          weights[out] = w;
          out++;
          last = t;
        }
      }
    }
    offsets[i + 1] = out;
  }
  return { n, offsets, targets: targets.slice(0, out), weights: weights.slice(0, out) };
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
