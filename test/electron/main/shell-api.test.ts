import { describe, expect, it } from 'vitest';
import { ok, type Settings, type SettingsPatch } from '../../../shared/contract';
import { defaultSettings } from '../../../shared/settings';
import { HotkeyController, DEFAULT_HOTKEY, type GlobalShortcutPort } from '../../../electron/main/hotkey';
import { shellApi } from '../../../electron/main/shell-api';
import { fakeApi } from '../fake-api';

class Shortcuts implements GlobalShortcutPort {
  readonly held = new Set<string>();
  constructor(private readonly elsewhere: string[]) {}
  register(a: string): boolean {
    if (this.elsewhere.includes(a) || this.held.has(a)) return false;
    this.held.add(a);
    return true;
  }
  unregister(a: string): void {
    this.held.delete(a);
  }
}

function setup(elsewhere: string[] = [], saveFails = false) {
  const shortcuts = new Shortcuts(elsewhere);
  const hotkey = new HotkeyController(shortcuts, () => {}, 'darwin');
  hotkey.apply(DEFAULT_HOTKEY);
  const saved: SettingsPatch[] = [];
  const { api: core, calls } = fakeApi({
    updateSettings: async (patch) => {
      if (saveFails) return { ok: false, error: { code: 'bad_input', message: 'The daily budget must be positive.' } };
      saved.push(patch);
      const next: Settings = { ...defaultSettings('UTC'), hotkey: patch.hotkey ?? DEFAULT_HOTKEY, hasApiKey: false };
      return ok(next);
    },
    setApiKey: async () => ok({ hasApiKey: true }),
  });
  let keychain: string | null = null;
  const api = shellApi(core, { hotkey, keychainProblem: () => keychain });
  return { api, hotkey, shortcuts, saved, calls, breakKeychain: (why: string) => (keychain = why) };
}

describe('the desktop app settings calls', () => {
  it('registers a new hotkey, then saves it', async () => {
    const { api, hotkey, saved } = setup();
    const result = await api.updateSettings({ hotkey: 'Alt+Space' });
    expect(result.ok).toBe(true);
    expect(hotkey.current()).toBe('Alt+Space');
    expect(saved).toEqual([{ hotkey: 'Alt+Space' }]);
  });

  it('refuses a hotkey another app holds with the reason, saving nothing', async () => {
    const { api, hotkey, saved } = setup(['Alt+Space']);
    const result = await api.updateSettings({ hotkey: 'Alt+Space', dailyBudgetUsd: 20 });
    expect(result).toEqual({ ok: false, error: { code: 'conflict', message: 'Another app is already using ⌥Space. Sluice keeps ⌘⇧Space.' } });
    expect(hotkey.current()).toBe(DEFAULT_HOTKEY);
    expect(saved).toEqual([]);
  });

  it('goes back to the old hotkey when the rest of the change is refused', async () => {
    const { api, hotkey, shortcuts } = setup([], true);
    const result = await api.updateSettings({ hotkey: 'Alt+Space', dailyBudgetUsd: -1 });
    expect(result.ok).toBe(false);
    expect(hotkey.current()).toBe(DEFAULT_HOTKEY);
    expect([...shortcuts.held]).toEqual([DEFAULT_HOTKEY]);
  });

  it('passes other settings straight through', async () => {
    const { api, saved } = setup();
    await api.updateSettings({ dailyBudgetUsd: 25 });
    expect(saved).toEqual([{ dailyBudgetUsd: 25 }]);
  });

  it('refuses to store an API key the keychain cannot protect, saying why', async () => {
    const { api, calls, breakKeychain } = setup();
    breakKeychain('Sluice cannot store the API key: this system\'s keychain is not available.');
    const result = await api.setApiKey({ key: 'sk-ant-api03-abc' });
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringContaining('keychain') } });
    expect(calls).toEqual([]);
  });

  it('still lets the key be removed without a keychain', async () => {
    const { api, breakKeychain } = setup();
    breakKeychain('no keychain');
    expect(await api.setApiKey({ key: null })).toEqual({ ok: true, value: { hasApiKey: true } });
  });

  it('answers the folder picker with the native dialog, or says it was cancelled', async () => {
    const { api: core } = fakeApi({});
    const hotkey = { apply: () => ({ ok: true as const, accelerator: 'x' }), current: () => 'x' };
    let answer: string | null = '/Users/ada/app';
    const api = shellApi(core, { hotkey, keychainProblem: () => null, chooseFolder: async () => answer });
    expect(await api.pickProjectFolder()).toEqual({ ok: true, value: { path: '/Users/ada/app' } });
    answer = null;
    expect(await api.pickProjectFolder()).toEqual({ ok: true, value: { path: null } });
    const broken = shellApi(core, { hotkey, keychainProblem: () => null, chooseFolder: async () => { throw new Error('no display'); } });
    expect(await broken.pickProjectFolder()).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('no display') } });
  });
});
