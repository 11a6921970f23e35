import { describe, expect, it } from 'vitest';
import { DEFAULT_HOTKEY, HotkeyController, describeAccelerator, type GlobalShortcutPort } from '../../../electron/main/hotkey';

/** The OS's table of global shortcuts: some held by other apps. */
class FakeShortcuts implements GlobalShortcutPort {
  readonly ours = new Map<string, () => void>();
  constructor(private readonly heldElsewhere: string[] = []) {}
  register(accelerator: string, callback: () => void): boolean {
    if (!/^(CommandOrControl|Control|Alt|Shift|Super)(\+\w+)+$/.test(accelerator)) throw new Error('Error processing argument at index 0, conversion failure');
    if (this.heldElsewhere.includes(accelerator) || this.ours.has(accelerator)) return false;
    this.ours.set(accelerator, callback);
    return true;
  }
  unregister(accelerator: string): void {
    this.ours.delete(accelerator);
  }
  press(accelerator: string): void {
    this.ours.get(accelerator)?.();
  }
}

describe('the dispatch hotkey', () => {
  it('registers the default, and pressing it opens dispatch', () => {
    const os = new FakeShortcuts();
    let opened = 0;
    const hotkey = new HotkeyController(os, () => opened++, 'darwin');
    expect(hotkey.apply(DEFAULT_HOTKEY)).toEqual({ ok: true, accelerator: 'CommandOrControl+Shift+Space' });
    os.press('CommandOrControl+Shift+Space');
    expect(opened).toBe(1);
  });

  it('says clearly when another app holds the shortcut', () => {
    const hotkey = new HotkeyController(new FakeShortcuts([DEFAULT_HOTKEY]), () => {}, 'linux');
    const result = hotkey.apply(DEFAULT_HOTKEY);
    expect(result).toEqual({
      ok: false,
      reason: 'taken',
      kept: null,
      message: 'Another app is already using Ctrl+Shift+Space. Choose another shortcut for dispatch in Settings.',
    });
    expect(hotkey.current()).toBeNull();
  });

  it('moves to a new shortcut and lets go of the old one', () => {
    const os = new FakeShortcuts();
    const hotkey = new HotkeyController(os, () => {}, 'darwin');
    hotkey.apply(DEFAULT_HOTKEY);
    expect(hotkey.apply('Alt+Space')).toEqual({ ok: true, accelerator: 'Alt+Space' });
    expect([...os.ours.keys()]).toEqual(['Alt+Space']);
    expect(hotkey.current()).toBe('Alt+Space');
  });

  it('keeps the working shortcut when the new one is taken', () => {
    const os = new FakeShortcuts(['Alt+Space']);
    let opened = 0;
    const hotkey = new HotkeyController(os, () => opened++, 'darwin');
    hotkey.apply(DEFAULT_HOTKEY);
    const result = hotkey.apply('Alt+Space');
    expect(result).toMatchObject({ ok: false, reason: 'taken', kept: DEFAULT_HOTKEY });
    expect(result.ok ? '' : result.message).toBe('Another app is already using ⌥Space. Sluice keeps ⌘⇧Space.');
    os.press(DEFAULT_HOTKEY);
    expect(opened).toBe(1);
  });

  it('refuses a shortcut Electron cannot parse, keeping the old one', () => {
    const os = new FakeShortcuts();
    const hotkey = new HotkeyController(os, () => {}, 'linux');
    hotkey.apply(DEFAULT_HOTKEY);
    const result = hotkey.apply('Hyper+Banana');
    expect(result).toMatchObject({ ok: false, reason: 'invalid', kept: DEFAULT_HOTKEY });
    expect([...os.ours.keys()]).toEqual([DEFAULT_HOTKEY]);
  });

  it('does nothing when asked for the shortcut it already has', () => {
    const os = new FakeShortcuts();
    const hotkey = new HotkeyController(os, () => {}, 'darwin');
    hotkey.apply(DEFAULT_HOTKEY);
    expect(hotkey.apply(` ${DEFAULT_HOTKEY} `)).toEqual({ ok: true, accelerator: DEFAULT_HOTKEY });
    expect(os.ours.size).toBe(1);
  });

  it('releases its shortcut on quit', () => {
    const os = new FakeShortcuts();
    const hotkey = new HotkeyController(os, () => {}, 'darwin');
    hotkey.apply(DEFAULT_HOTKEY);
    hotkey.dispose();
    expect(os.ours.size).toBe(0);
  });

  it('reads shortcuts the way each platform writes them', () => {
    expect(describeAccelerator(DEFAULT_HOTKEY, 'darwin')).toBe('⌘⇧Space');
    expect(describeAccelerator(DEFAULT_HOTKEY, 'win32')).toBe('Ctrl+Shift+Space');
    expect(describeAccelerator('Control+Alt+K', 'linux')).toBe('Ctrl+Alt+K');
  });
});
