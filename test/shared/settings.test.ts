import { describe, expect, it } from 'vitest';
import { applySettingsPatch, defaultSettings, projectKey } from '../../shared/settings';
import { validateInput } from '../../shared/contract-validate';

const base = defaultSettings('UTC');
const withLocal = { ...base, routing: { ...base.routing, tiers: { ...base.routing.tiers, local: 'qwen3-coder:30b' } } };

describe('per-project tiers in the routing settings', () => {
  it('keeps absolute folders with a known tier, without their trailing separator', () => {
    const r = applySettingsPatch(base, { routing: { projects: { '/Users/ada/code/api/': { tier: 'fast' }, 'C:\\code\\site': { tier: 'strong' } } } });
    expect(r).toMatchObject({ ok: true, value: { routing: { projects: { '/Users/ada/code/api': { tier: 'fast' }, 'C:\\code\\site': { tier: 'strong' } } } } });
    // Other routing rules are untouched by a projects patch.
    expect(r.ok && r.value.routing.tiers).toEqual(base.routing.tiers);
  });

  it('refuses relative folders, unknown tiers and a malformed table with a message a person can act on', () => {
    expect(applySettingsPatch(base, { routing: { projects: { 'code/api': { tier: 'fast' } } } })).toEqual({ ok: false, message: '"code/api" is not an absolute project folder.' });
    expect(applySettingsPatch(base, JSON.parse('{"routing":{"projects":{"/x":{"tier":"turbo"}}}}'))).toEqual({ ok: false, message: 'The tier for /x must be one of local, fast, strong.' });
    expect(applySettingsPatch(base, JSON.parse('{"routing":{"projects":[]}}'))).toMatchObject({ ok: false });
  });

  it('takes the local tier only when a local model is set, but keeps a saved one after the model is cleared', () => {
    expect(applySettingsPatch(base, { routing: { projects: { '/x': { tier: 'local' } } } })).toMatchObject({ ok: false, message: expect.stringContaining('no local model is set') });
    const saved = applySettingsPatch(withLocal, { routing: { projects: { '/x': { tier: 'local' } } } });
    if (!saved.ok) throw new Error(saved.message);
    const cleared = applySettingsPatch(saved.value, { routing: { tiers: { ...saved.value.routing.tiers, local: null } } });
    if (!cleared.ok) throw new Error(cleared.message);
    // Editing another entry must not be blocked by the stale local one...
    expect(applySettingsPatch(cleared.value, { routing: { projects: { '/x': { tier: 'local' }, '/y': { tier: 'fast' } } } })).toMatchObject({ ok: true });
    // ...but a new local entry still needs a model.
    expect(applySettingsPatch(cleared.value, { routing: { projects: { '/x': { tier: 'local' }, '/z': { tier: 'local' } } } })).toMatchObject({ ok: false });
  });

  it('normalises folder keys', () => {
    expect(projectKey('/a/b//')).toBe('/a/b');
    expect(projectKey('/')).toBe('/');
    expect(projectKey('C:\\')).toBe('C:\\');
  });
});

describe('contract checks for project tiers and retries', () => {
  it('accepts a projects table and a retry, and refuses unknown shapes', () => {
    expect(validateInput('updateSettings', { routing: { projects: { '/x': { tier: 'fast' } } } })).toEqual({ ok: true, value: { routing: { projects: { '/x': { tier: 'fast' } } } } });
    expect(validateInput('updateSettings', { routing: { projects: { '/x': { tier: 'fast', extra: 1 } } } })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(validateInput('updateSettings', { routing: { projects: { '/x': 'fast' } } })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(validateInput('retryTask', { id: 't1' })).toEqual({ ok: true, value: { id: 't1' } });
    expect(validateInput('retryTask', { id: 't1', tier: 'fast' })).toEqual({ ok: true, value: { id: 't1', tier: 'fast' } });
    expect(validateInput('retryTask', { id: 't1', tier: 'opus' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(validateInput('retryTask', { id: 't 1' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });
});
