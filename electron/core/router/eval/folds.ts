import { seededRandom } from '../difficulty/random';

/** Identical prompts (up to whitespace) are one item: a duplicate in another fold would be a prompt the router learned from. */
export function promptKey(prompt: string): string {
  return prompt.trim().replace(/\s+/g, ' ');
}

/**
 * Fold of each row, 0..k-1: distinct prompts are shuffled with the seed and dealt round-robin,
 * so folds differ in size by at most one prompt group and never share a prompt.
 */
export function assignFolds(prompts: readonly string[], k: number, seed: number): number[] {
  const groupOf = new Map<string, number>();
  const groups = prompts.map((p) => {
    const key = promptKey(p);
    let g = groupOf.get(key);
    if (g === undefined) {
      g = groupOf.size;
      groupOf.set(key, g);
    }
    return g;
  });
  const order = Array.from({ length: groupOf.size }, (_, i) => i);
  const random = seededRandom(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const foldOfGroup = new Array<number>(order.length);
  order.forEach((g, position) => (foldOfGroup[g] = position % k));
  return groups.map((g) => foldOfGroup[g] as number);
}

export function distinctPrompts(prompts: readonly string[]): number {
  return new Set(prompts.map(promptKey)).size;
}
