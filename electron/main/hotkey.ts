import type { Platform } from './ports';

/** Cmd+Shift+Space on macOS, Ctrl+Shift+Space elsewhere (Electron resolves CommandOrControl). */
export const DEFAULT_HOTKEY = 'CommandOrControl+Shift+Space';

export interface GlobalShortcutPort {
  /** false when another app holds the shortcut; throws on an accelerator Electron cannot parse. */
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

export type HotkeyResult =
  | { ok: true; accelerator: string }
  | { ok: false; reason: 'taken' | 'invalid'; message: string; kept: string | null };

/** How a person reads an accelerator on this platform: "⌘⇧Space" on macOS, "Ctrl+Shift+Space" elsewhere. */
export function describeAccelerator(accelerator: string, platform: Platform): string {
  const mac = platform === 'darwin';
  const parts = accelerator.split('+').map((p) => p.trim());
  const names: Record<string, [string, string]> = {
    commandorcontrol: ['⌘', 'Ctrl'],
    cmdorctrl: ['⌘', 'Ctrl'],
    command: ['⌘', 'Cmd'],
    cmd: ['⌘', 'Cmd'],
    control: ['⌃', 'Ctrl'],
    ctrl: ['⌃', 'Ctrl'],
    shift: ['⇧', 'Shift'],
    alt: ['⌥', 'Alt'],
    option: ['⌥', 'Alt'],
    super: ['⌘', 'Super'],
    meta: ['⌘', 'Super'],
  };
  const shown = parts.map((p) => names[p.toLowerCase()]?.[mac ? 0 : 1] ?? p);
  return mac ? shown.join('') : shown.join('+');
}

/**
 * The global hotkey that opens the dispatch window. Changing it registers the new one before
 * letting go of the old, so a shortcut another app holds leaves the working one in place.
 */
export class HotkeyController {
  private currentAccelerator: string | null = null;

  constructor(
    private readonly shortcuts: GlobalShortcutPort,
    private readonly onPress: () => void,
    private readonly platform: Platform,
  ) {}

  current(): string | null {
    return this.currentAccelerator;
  }

  apply(accelerator: string): HotkeyResult {
    const wanted = accelerator.trim();
    if (wanted === this.currentAccelerator) return { ok: true, accelerator: wanted };
    const kept = this.currentAccelerator;
    const keeping = kept ? ` Sluice keeps ${describeAccelerator(kept, this.platform)}.` : '';
    const invalid = (message: string): HotkeyResult => ({ ok: false, reason: 'invalid', kept, message: message + keeping });
    if (wanted === '') return invalid('The shortcut is empty.');
    let registered: boolean;
    try {
      registered = this.shortcuts.register(wanted, this.onPress);
    } catch {
      return invalid(`"${wanted}" is not a shortcut Sluice understands (for example ${describeAccelerator(DEFAULT_HOTKEY, this.platform)}).`);
    }
    if (!registered) {
      const shown = describeAccelerator(wanted, this.platform);
      return { ok: false, reason: 'taken', kept, message: `Another app is already using ${shown}.${keeping || ' Choose another shortcut for dispatch in Settings.'}` };
    }
    if (kept) this.shortcuts.unregister(kept);
    this.currentAccelerator = wanted;
    return { ok: true, accelerator: wanted };
  }

  dispose(): void {
    if (this.currentAccelerator) this.shortcuts.unregister(this.currentAccelerator);
    this.currentAccelerator = null;
  }
}
