import type { BatchLimits } from './types';

export interface Sized<T> {
  item: T;
  /** Bytes of this request's entry in the `requests` array (its JSON). */
  bytes: number;
}

export interface Packing<T> {
  batches: T[][];
  /** Items that exceed a batch on their own: no batch can ever carry them. */
  tooLarge: T[];
}

/** `{"requests":[` … `]}` around the entries. */
const ENVELOPE_BYTES = 16;

/**
 * Groups requests into as few batches as the API allows, keeping their order (oldest first), so the
 * work deferred first is submitted first. Each entry after the first costs one more byte (the comma).
 */
export function packBatches<T>(entries: readonly Sized<T>[], limits: BatchLimits): Packing<T> {
  const batches: T[][] = [];
  const tooLarge: T[] = [];
  let current: T[] = [];
  let bytes = ENVELOPE_BYTES;
  for (const e of entries) {
    if (ENVELOPE_BYTES + e.bytes > limits.maxBytes) {
      tooLarge.push(e.item);
      continue;
    }
    const extra = e.bytes + (current.length > 0 ? 1 : 0);
    if (current.length > 0 && (current.length >= limits.maxRequests || bytes + extra > limits.maxBytes)) {
      batches.push(current);
      current = [];
      bytes = ENVELOPE_BYTES;
    }
    bytes += e.bytes + (current.length > 0 ? 1 : 0);
    current.push(e.item);
  }
  if (current.length > 0) batches.push(current);
  return { batches, tooLarge };
}
