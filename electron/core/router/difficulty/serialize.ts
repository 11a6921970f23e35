import type { LogisticHead } from './logistic';
import { HashedDifficultyModel } from './model';

/** The stored form, kept in settings as JSON. Float arrays travel as base64 of their little-endian bytes. */
export interface StoredDifficultyModel {
  kind: 'sluice.difficulty';
  version: 1;
  bits: number;
  idf: string;
  weak: { bias: number; weights: string };
  strong: { bias: number; weights: string };
}

function toBase64(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function fromBase64(text: unknown, length: number, what: string): Float32Array {
  if (typeof text !== 'string') throw new Error(`stored difficulty model: ${what} is missing`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== length * 4) throw new Error(`stored difficulty model: ${what} has ${bytes.length} bytes, expected ${length * 4}`);
  // Copy into a fresh, aligned buffer: Buffer's pool offset need not be a multiple of 4.
  const out = new Float32Array(length);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

export function serializeDifficulty(model: HashedDifficultyModel): string {
  const head = (h: LogisticHead) => ({ bias: h.bias, weights: toBase64(h.weights) });
  const stored: StoredDifficultyModel = {
    kind: 'sluice.difficulty',
    version: 1,
    bits: model.bits,
    idf: toBase64(model.idf),
    weak: head(model.weak),
    strong: head(model.strong),
  };
  return JSON.stringify(stored);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Throws with a message naming what is wrong; a settings loader can catch it and retrain. */
export function deserializeDifficulty(json: string): HashedDifficultyModel {
  const raw: unknown = JSON.parse(json);
  if (!isRecord(raw) || raw.kind !== 'sluice.difficulty') throw new Error('stored difficulty model: not a sluice.difficulty document');
  if (raw.version !== 1) throw new Error(`stored difficulty model: unsupported version ${String(raw.version)}`);
  const bits = raw.bits;
  if (typeof bits !== 'number' || !Number.isInteger(bits) || bits < 4 || bits > 24) throw new Error('stored difficulty model: bad bits');
  const size = 1 << bits;
  const head = (h: unknown, name: string): LogisticHead => {
    if (!isRecord(h) || typeof h.bias !== 'number' || !Number.isFinite(h.bias)) throw new Error(`stored difficulty model: bad ${name} head`);
    return { bias: h.bias, weights: fromBase64(h.weights, size, `${name}.weights`) };
  };
  return new HashedDifficultyModel(bits, fromBase64(raw.idf, size, 'idf'), head(raw.weak, 'weak'), head(raw.strong, 'strong'));
}
