import type { ModelResponse } from 'ollama';
import { describe, expect, it } from 'vitest';
import { contextLengthOf, toLoadedModel, toLocalModel } from '../../../../electron/core/providers/ollama/models';

function tag(partial: Partial<ModelResponse> = {}): ModelResponse {
  return {
    name: 'qwen2.5-coder:7b',
    modified_at: new Date('2026-11-01T09:00:00Z'),
    model: 'qwen2.5-coder:7b',
    size: 4_683_087_332,
    digest: 'abc',
    details: { parent_model: '', format: 'gguf', family: 'qwen2', families: ['qwen2'], parameter_size: '7.6B', quantization_level: 'Q4_K_M' },
    expires_at: new Date(0),
    size_vram: 0,
    ...partial,
  };
}

describe('contextLengthOf', () => {
  it('reads <architecture>.context_length from model_info as it arrives (a plain object)', () => {
    expect(contextLengthOf({ 'general.architecture': 'llama', 'llama.context_length': 131072, 'llama.embedding_length': 3072 })).toBe(131072);
  });

  it('reads a Map too, as ollama-js types it', () => {
    expect(contextLengthOf(new Map<string, unknown>([['general.architecture', 'gemma3'], ['gemma3.context_length', 8192]]))).toBe(8192);
  });

  it('falls back to any *.context_length when the architecture key is missing, and to null', () => {
    expect(contextLengthOf({ 'qwen2.context_length': 32768 })).toBe(32768);
    expect(contextLengthOf({ 'general.architecture': 'llama' })).toBeNull();
    expect(contextLengthOf(undefined)).toBeNull();
    expect(contextLengthOf({ 'llama.context_length': 'big' })).toBeNull();
  });
});

describe('toLocalModel', () => {
  it('flags a model whose context is under 64k tokens as too small for agents', () => {
    const small = toLocalModel(tag(), { contextLength: 32_768, capabilities: ['completion', 'tools'], family: 'qwen2' });
    expect(small).toEqual({
      name: 'qwen2.5-coder:7b',
      family: 'qwen2',
      parameterSize: '7.6B',
      quantization: 'Q4_K_M',
      sizeBytes: 4_683_087_332,
      contextLength: 32_768,
      capabilities: ['completion', 'tools'],
      tooSmallForAgents: true,
    });
    expect(toLocalModel(tag(), { contextLength: 65_536, capabilities: [], family: null }).tooSmallForAgents).toBe(false);
  });

  it('does not flag a model whose context is unknown, and takes the family from tags then', () => {
    const m = toLocalModel(tag(), null);
    expect(m).toMatchObject({ contextLength: null, capabilities: [], tooSmallForAgents: false, family: 'qwen2' });
  });
});

describe('toLoadedModel', () => {
  it('maps a /api/ps row, with context_length when Ollama reports it', () => {
    const row = { ...tag({ size_vram: 1000 }), expires_at: '2026-11-28T10:05:00Z', context_length: 8192 } as unknown as ModelResponse;
    expect(toLoadedModel(row)).toEqual({ name: 'qwen2.5-coder:7b', sizeBytes: 4_683_087_332, vramBytes: 1000, expiresAt: '2026-11-28T10:05:00.000Z', contextLength: 8192 });
  });

  it('answers null for an unknown expiry or context', () => {
    const row = { ...tag(), expires_at: '0001-01-01T00:00:00Z' } as unknown as ModelResponse;
    expect(toLoadedModel(row)).toMatchObject({ expiresAt: null, contextLength: null });
  });
});
