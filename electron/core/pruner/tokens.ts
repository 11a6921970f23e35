import { getTokenizer } from '@anthropic-ai/tokenizer';

type Tokenizer = ReturnType<typeof getTokenizer>;

let shared: Tokenizer | undefined;

/**
 * Claude's tokenizer, created once: `countTokens` from the package builds a new one on every
 * call (~150 ms each), which would dominate brief building.
 */
function tokenizer(): Tokenizer {
  shared ??= getTokenizer();
  return shared;
}

/** Exact token count, the same normalisation as `@anthropic-ai/tokenizer`'s `countTokens`. */
export function countTokens(text: string): number {
  if (text === '') return 0;
  return tokenizer().encode(text.normalize('NFKC'), 'all').length;
}

/** A token counter that remembers recent strings (long conversations re-send the same blocks every turn). */
export function memoizedCounter(maxChars = 32_000_000): (text: string) => number {
  const memo = new Map<string, number>();
  let chars = 0;
  return (text: string) => {
    const hit = memo.get(text);
    if (hit !== undefined) return hit;
    const n = countTokens(text);
    if (text.length < 256) return n;
    if (chars + text.length > maxChars) {
      memo.clear();
      chars = 0;
    }
    memo.set(text, n);
    chars += text.length;
    return n;
  };
}
