/**
 * Prompt → sparse hashed feature vector. Word unigrams and bigrams carry the topic (which is most of
 * the signal on MMLU: the weak model's gap is concentrated in a few subjects) and the question's
 * form ("Statement 1 | …", numbers, symbols). Hashing keeps the model a fixed size whatever the vocabulary.
 */
export interface SparseVector {
  readonly indices: Uint32Array;
  readonly values: Float32Array;
}

// Words, digit runs, and each other visible symbol on its own (math and code prompts are full of them).
const TOKEN = /[a-z]+|\d+|[^\sa-z\d]/g;

export function tokenize(prompt: string): string[] {
  return prompt.toLowerCase().match(TOKEN) ?? [];
}

/** FNV-1a over UTF-16 code units, continuing from `seed`; stable across runs, so stored models stay valid. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// Feature kinds are prefixes hashed once; a bigram continues the hash through "prev t" without building the string.
const UNIGRAM = hashString('u:');
const BIGRAM = hashString('b:');

function lengthFeature(tokens: number): number {
  return hashString(`len:${Math.min(12, Math.floor(Math.log2(tokens + 1)))}`);
}

/** Counts of hashed features, weighted 1 + ln(count); not yet normalized. */
export function hashedCounts(prompt: string, bits: number): Map<number, number> {
  const mask = (1 << bits) - 1;
  const tokens = tokenize(prompt);
  const counts = new Map<number, number>();
  const add = (h: number) => {
    const k = h & mask;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  };
  let prev = '^';
  for (const t of tokens) {
    add(hashString(t, UNIGRAM));
    add(hashString(t, hashString(' ', hashString(prev, BIGRAM))));
    prev = t;
  }
  add(lengthFeature(tokens.length));
  for (const [k, c] of counts) counts.set(k, 1 + Math.log(c));
  return counts;
}

/** The feature vector a model sees: counts × idf, scaled to unit length so long prompts do not dominate. */
export function featurize(prompt: string, bits: number, idf?: Float32Array): SparseVector {
  return weigh(hashedCounts(prompt, bits), idf);
}

export function weigh(counts: ReadonlyMap<number, number>, idf?: Float32Array): SparseVector {
  const indices = new Uint32Array(counts.size);
  const values = new Float32Array(counts.size);
  let i = 0;
  let norm = 0;
  for (const [k, c] of counts) {
    const v = c * (idf ? (idf[k] ?? 1) : 1);
    indices[i] = k;
    values[i] = v;
    norm += v * v;
    i++;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let j = 0; j < values.length; j++) values[j] = (values[j] as number) * scale;
  return { indices, values };
}

/** Smoothed inverse document frequency over hashed features, learned from the training prompts only. */
export function learnIdf(docs: readonly ReadonlyMap<number, number>[], bits: number): Float32Array {
  const df = new Float32Array(1 << bits);
  for (const d of docs) for (const k of d.keys()) df[k] = (df[k] as number) + 1;
  const n = docs.length;
  const idf = new Float32Array(1 << bits);
  for (let k = 0; k < idf.length; k++) idf[k] = Math.log((1 + n) / (1 + (df[k] as number))) + 1;
  return idf;
}
