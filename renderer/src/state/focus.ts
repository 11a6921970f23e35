/** What a notification (or a link) asks the popover to show: a task's row, or the budget gauge. */
export type Focus = { kind: 'task'; id: string } | { kind: 'budget' };

/** Reads Electron main's hash: `#focus=task:<id>` or `#focus=budget`; anything else is no focus. */
export function parseFocus(hash: string): Focus | null {
  const m = /^#?focus=(.+)$/.exec(hash);
  const v = m?.[1];
  if (!v) return null;
  if (v === 'budget') return { kind: 'budget' };
  if (v.startsWith('task:')) {
    try {
      const id = decodeURIComponent(v.slice(5));
      return id ? { kind: 'task', id } : null;
    } catch {
      return null;
    }
  }
  return null;
}
