import { describe, expect, it } from 'vitest';
import { CALL_NAMES } from '../../../shared/contract';
import { isCallName, parseWireCall, validateInput } from '../../../shared/contract-validate';

describe('contract input validation (shared/contract-validate)', () => {
  it('accepts no input, null or {} for calls that take none, and nothing else', () => {
    for (const x of [undefined, null, {}]) expect(validateInput('getOverview', x).ok).toBe(true);
    expect(validateInput('getOverview', { sneaky: 1 })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(validateInput('pauseAll', 'now')).toMatchObject({ ok: false });
  });

  it('checks request filters field by field and keeps only what it checked', () => {
    expect(validateInput('listRequests', { day: '2026-11-28', hour: 0, model: 'claude-opus-4-8', limit: 1000 })).toEqual({
      ok: true,
      value: { day: '2026-11-28', hour: 0, model: 'claude-opus-4-8', limit: 1000 },
    });
    for (const bad of [{ hour: 24 }, { hour: 1.5 }, { limit: 0 }, { day: '2026-2-1' }, { month: '2026-00' }, { model: '' }, { agent: 'x'.repeat(65) }, { other: 1 }, 'x', [1]]) {
      expect(validateInput('listRequests', bad).ok, JSON.stringify(bad)).toBe(false);
    }
  });

  it('builds a typed settings patch and refuses wrong types with a message a person can act on', () => {
    const r = validateInput('updateSettings', { dailyBudgetUsd: null, thresholds: [50, 80], offPeak: { start: '22:00', end: '07:00' }, routing: { tiers: { fast: 'a', strong: 'b', local: null }, aliases: { s: 'claude-sonnet-4-6' } } });
    expect(r).toEqual({ ok: true, value: { dailyBudgetUsd: null, thresholds: [50, 80], offPeak: { start: '22:00', end: '07:00' }, routing: { tiers: { fast: 'a', strong: 'b', local: null }, aliases: { s: 'claude-sonnet-4-6' } } } });
    expect(validateInput('updateSettings', { dailyBudgetUsd: '10' })).toEqual({ ok: false, error: { code: 'bad_input', message: 'The daily budget must be a number from 0 to 1000000.' } });
    expect(validateInput('updateSettings', { offPeak: { start: '25:00', end: '07:00' } })).toMatchObject({ ok: false, error: { message: 'The off-peak start must look like 22:00.' } });
    expect(validateInput('updateSettings', { hasApiKey: true })).toMatchObject({ ok: false, error: { message: 'The settings change has unknown field "hasApiKey".' } });
    expect(validateInput('updateSettings', { routing: { agentRules: [{ agent: 'a' }] } }).ok).toBe(false);
  });

  it('takes API keys without whitespace or control characters, or null to remove', () => {
    expect(validateInput('setApiKey', { key: ' sk-ant-1 ' })).toEqual({ ok: true, value: { key: 'sk-ant-1' } });
    expect(validateInput('setApiKey', { key: null })).toEqual({ ok: true, value: { key: null } });
    for (const key of ['', 'a b', 'a\u0000b', 5]) expect(validateInput('setApiKey', { key }).ok).toBe(false);
  });

  it('accepts Ollama model names with namespaces and tags, and nothing shell-like', () => {
    for (const name of ['llama3.2:3b', 'hf.co/bartowski/Qwen2.5-Coder:Q4_K_M', 'qwen3-coder']) expect(validateInput('pullModel', { name }).ok).toBe(true);
    for (const name of ['../etc', 'a b', '-rm', '', 'x'.repeat(201)]) expect(validateInput('pullModel', { name }).ok).toBe(false);
  });

  it('checks dispatches and task actions', () => {
    expect(validateInput('dispatchTask', { prompt: 'Fix it', project: '/repo', tier: 'fast', priority: 'low', capUsd: 2 }).ok).toBe(true);
    expect(validateInput('dispatchTask', { prompt: '   ', project: '/repo' }).ok).toBe(false);
    expect(validateInput('dispatchTask', { prompt: 'x', project: '/repo', tier: 'huge' }).ok).toBe(false);
    expect(validateInput('controlTask', { id: 't-1', action: 'resume' }).ok).toBe(true);
    expect(validateInput('controlTask', { id: 't 1', action: 'resume' }).ok).toBe(false);
  });

  it('has a validator for every call of the contract', () => {
    for (const call of CALL_NAMES) expect(() => validateInput(call, undefined)).not.toThrow();
  });

  it('parses wire messages: an id, a known call, any input', () => {
    expect(parseWireCall({ id: 3, call: 'getSpend', input: { month: '2026-11' } })).toEqual({ ok: true, value: { id: 3, call: 'getSpend', input: { month: '2026-11' } } });
    expect(parseWireCall({ id: 4, call: 'dropTables' })).toEqual({ ok: false, id: 4, message: 'Unknown call "dropTables".' });
    expect(parseWireCall({ call: 'getSpend' })).toMatchObject({ ok: false, id: null });
    expect(parseWireCall('hello')).toMatchObject({ ok: false, id: null });
    expect(isCallName('toString')).toBe(false);
  });
});

describe('contract input validation: deferrable tasks', () => {
  const task = { prompt: 'Write docstrings for src/', project: '/Users/ada/app' };

  it('takes deferrable as true or false on a dispatch and its preview', () => {
    for (const call of ['dispatchTask', 'previewDispatch'] as const) {
      expect(validateInput(call, { ...task, deferrable: true, tier: 'fast' })).toEqual({ ok: true, value: { ...task, deferrable: true, tier: 'fast' } });
      expect(validateInput(call, { ...task, deferrable: false })).toEqual({ ok: true, value: { ...task, deferrable: false } });
      expect(validateInput(call, { ...task, deferrable: 'yes' })).toEqual({ ok: false, error: { code: 'bad_input', message: 'Deferrable must be true or false.' } });
    }
  });

  it('refuses a deferrable task on the local tier: batches run at Anthropic', () => {
    expect(validateInput('dispatchTask', { ...task, deferrable: true, tier: 'local' })).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(/local tier cannot take it/) } });
    expect(validateInput('dispatchTask', { ...task, deferrable: false, tier: 'local' }).ok).toBe(true);
  });

  it('asks for a task answer by task id only', () => {
    expect(validateInput('getTaskAnswer', { id: 't3fa9c01b2e' })).toEqual({ ok: true, value: { id: 't3fa9c01b2e' } });
    for (const bad of [{}, { id: '' }, { id: 'a b' }, { id: 't1', text: 'x' }, 't1']) expect(validateInput('getTaskAnswer', bad).ok, JSON.stringify(bad)).toBe(false);
  });
});
