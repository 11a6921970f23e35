/** A point of the cost–quality curve: share of prompts sent to the strong model, accuracy of the routed answers. */
export interface CurvePoint {
  strongShare: number;
  quality: number;
}

/**
 * One held-out fold, ranked by the router (most in need of the strong model first). Sending the
 * top k to strong gains `cumGain[k]` correct answers over sending everything to weak.
 */
export interface RankedFold {
  size: number;
  weakCorrect: number;
  /** Length size + 1; cumGain[k] = Σ (strongCorrect − weakCorrect) over the top k. */
  cumGain: Float64Array;
}

/** Ranks one fold's prompts by score, highest first; ties in random order so input order cannot leak. */
export function rankFold(scores: readonly number[], weak: readonly boolean[], strong: readonly boolean[], random: () => number): RankedFold {
  const n = scores.length;
  const tie = scores.map(() => random());
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number) || (tie[a] as number) - (tie[b] as number));
  const cumGain = new Float64Array(n + 1);
  let weakCorrect = 0;
  order.forEach((i, r) => {
    cumGain[r + 1] = (cumGain[r] as number) + Number(strong[i]) - Number(weak[i]);
  });
  for (const w of weak) weakCorrect += Number(w);
  return { size: n, weakCorrect, cumGain };
}

/**
 * Correct answers in a fold when a share s of it goes to strong. Between whole prompts the value is
 * interpolated: the expected result of sending the boundary prompt to strong with probability frac.
 */
function foldCorrect(f: RankedFold, share: number): number {
  const x = Math.min(1, Math.max(0, share)) * f.size;
  const k = Math.floor(x);
  const frac = x - k;
  const lo = f.cumGain[k] as number;
  const hi = k < f.size ? (f.cumGain[k + 1] as number) : lo;
  return f.weakCorrect + lo + frac * (hi - lo);
}

/** Pooled quality at a strong share: every fold routes that share of its own prompts. */
export function qualityAt(folds: readonly RankedFold[], share: number): number {
  let correct = 0;
  let total = 0;
  for (const f of folds) {
    correct += foldCorrect(f, share);
    total += f.size;
  }
  return total > 0 ? correct / total : 0;
}

/** Every share where some fold's curve bends; pooled quality is linear between consecutive ones. */
function breakpoints(folds: readonly RankedFold[]): number[] {
  const set = new Set<number>([0, 1]);
  for (const f of folds) for (let k = 1; k < f.size; k++) set.add(k / f.size);
  return [...set].sort((a, b) => a - b);
}

/**
 * The smallest strong share whose pooled quality reaches `target` (exact on the piecewise-linear
 * curve), or 1 when only all-strong gets there.
 */
export function shareNeeded(folds: readonly RankedFold[], target: number): number {
  const xs = breakpoints(folds);
  let prevX = 0;
  let prevQ = qualityAt(folds, 0);
  if (prevQ >= target) return 0;
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i] as number;
    const q = qualityAt(folds, x);
    if (q >= target) return prevX + ((target - prevQ) / (q - prevQ)) * (x - prevX);
    prevX = x;
    prevQ = q;
  }
  return 1;
}

/** Area under the pooled curve over shares 0..1 (exact trapezoids between breakpoints). */
export function areaUnder(folds: readonly RankedFold[]): number {
  const xs = breakpoints(folds);
  let area = 0;
  let prevQ = qualityAt(folds, 0);
  for (let i = 1; i < xs.length; i++) {
    const q = qualityAt(folds, xs[i] as number);
    area += ((q + prevQ) / 2) * ((xs[i] as number) - (xs[i - 1] as number));
    prevQ = q;
  }
  return area;
}

/** The curve at `steps + 1` evenly spaced shares, 0 and 1 included. */
export function sampleCurve(folds: readonly RankedFold[], steps = 100): CurvePoint[] {
  return Array.from({ length: steps + 1 }, (_, i) => {
    const strongShare = i / steps;
    return { strongShare, quality: qualityAt(folds, strongShare) };
  });
}
