import { err, ok, type SluiceApi } from '../../shared/contract';
import type { HotkeyController } from './hotkey';

/**
 * The contract as the desktop app serves it: the core's implementation, with the two calls the
 * shell knows more about. A new hotkey is registered before it is saved, so a shortcut another app
 * holds is refused with the reason (and the working one stays); an API key is refused up front
 * when the keychain cannot hold it.
 */
export function shellApi(
  core: SluiceApi,
  shell: {
    hotkey: Pick<HotkeyController, 'apply' | 'current'>;
    keychainProblem(): string | null;
    /** The native "choose a folder" dialog; resolves null when the user cancels. */
    chooseFolder?: () => Promise<string | null>;
  },
): SluiceApi {
  return {
    ...core,
    async pickProjectFolder() {
      if (!shell.chooseFolder) return core.pickProjectFolder();
      try {
        return ok({ path: await shell.chooseFolder() });
      } catch (e) {
        return err('internal', `The folder picker failed: ${(e as Error).message}`);
      }
    },
    async updateSettings(patch) {
      const wanted = patch.hotkey;
      const before = shell.hotkey.current();
      if (typeof wanted !== 'string' || wanted.trim() === before) return core.updateSettings(patch);
      const applied = shell.hotkey.apply(wanted);
      if (!applied.ok) return err(applied.reason === 'taken' ? 'conflict' : 'bad_input', applied.message);
      const saved = await core.updateSettings({ ...patch, hotkey: applied.accelerator });
      // Nothing was saved (another field was invalid): the shortcut in force goes back too.
      if (!saved.ok && before) shell.hotkey.apply(before);
      return saved;
    },
    async setApiKey(input) {
      const problem = input.key ? shell.keychainProblem() : null;
      if (problem) return err('unavailable', problem);
      return core.setApiKey(input);
    },
  };
}
