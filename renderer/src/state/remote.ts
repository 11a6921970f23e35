import type { ContractError, Result } from '../../../shared/contract';

/** Data fetched from the core: the last value (kept while reloading), whether a load runs, its error. */
export interface Remote<T> {
  data: T | null;
  loading: boolean;
  error: ContractError | null;
}

export function empty<T>(): Remote<T> {
  return { data: null, loading: false, error: null };
}

export function loading<T>(r: Remote<T>): Remote<T> {
  return { ...r, loading: true };
}

/** A load's result; a failed reload keeps the last good data next to the error. */
export function settled<T>(r: Remote<T>, result: Result<T>): Remote<T> {
  return result.ok ? { data: result.value, loading: false, error: null } : { data: r.data, loading: false, error: result.error };
}
