/**
 * Ollama's model listings (tags, ps, show) as the contract's `LocalModel` and `LoadedModel`.
 * Pure: the client fetches, these read.
 */
import type { ModelResponse, ShowResponse } from 'ollama';
import type { LoadedModel, LocalModel } from '../../../../shared/contract';

/** Ollama's docs: agents and coding tools need a context of at least 64k tokens. */
export const AGENT_MIN_CONTEXT = 65_536;

export interface ModelFacts {
  contextLength: number | null;
  capabilities: string[];
  family: string | null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function positiveInt(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null;
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/**
 * The trained context window from `model_info` ("<architecture>.context_length"). ollama-js types
 * `model_info` as a Map, but on the wire it is a plain object; both are read.
 */
export function contextLengthOf(modelInfo: unknown): number | null {
  const get = (k: string): unknown => (modelInfo instanceof Map ? modelInfo.get(k) : isRecord(modelInfo) ? modelInfo[k] : undefined);
  const arch = text(get('general.architecture'));
  if (arch) {
    const n = positiveInt(get(`${arch}.context_length`));
    if (n !== null) return n;
  }
  const keys = modelInfo instanceof Map ? [...modelInfo.keys()] : isRecord(modelInfo) ? Object.keys(modelInfo) : [];
  for (const k of keys) {
    if (typeof k === 'string' && k.endsWith('.context_length')) {
      const n = positiveInt(get(k));
      if (n !== null) return n;
    }
  }
  return null;
}

export function factsFromShow(show: ShowResponse): ModelFacts {
  const caps: unknown = show.capabilities;
  return {
    contextLength: contextLengthOf(show.model_info),
    capabilities: Array.isArray(caps) ? caps.filter((c): c is string => typeof c === 'string') : [],
    family: text(show.details?.family),
  };
}

export function toLocalModel(tag: ModelResponse, facts: ModelFacts | null): LocalModel {
  const contextLength = facts?.contextLength ?? null;
  return {
    name: tag.name,
    family: facts?.family ?? text(tag.details?.family),
    parameterSize: text(tag.details?.parameter_size),
    quantization: text(tag.details?.quantization_level),
    sizeBytes: positiveInt(tag.size) ?? 0,
    contextLength,
    capabilities: facts?.capabilities ?? [],
    // Unknown context is not flagged: we cannot say it is too small.
    tooSmallForAgents: contextLength !== null && contextLength < AGENT_MIN_CONTEXT,
  };
}

function isoOrNull(v: unknown): string | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (typeof v !== 'string' || v === '') return null;
  const t = Date.parse(v);
  // A zero time (Go's year 1) or garbage means no known expiry.
  return Number.isNaN(t) || t <= 0 ? null : new Date(t).toISOString();
}

/** A row of /api/ps. Newer Ollama versions add `context_length` (the allocated window). */
export function toLoadedModel(m: ModelResponse): LoadedModel {
  const ctx: unknown = 'context_length' in m ? m.context_length : undefined;
  return {
    name: m.name,
    sizeBytes: positiveInt(m.size) ?? 0,
    vramBytes: positiveInt(m.size_vram) ?? 0,
    expiresAt: isoOrNull(m.expires_at),
    contextLength: positiveInt(ctx),
  };
}
