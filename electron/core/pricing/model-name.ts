/**
 * Model names as agents send them carry decorations that do not change the price: Claude Code's
 * context markers (`claude-opus-4-8[1m]`), `-latest`, dated snapshots (`-20250929`), and the
 * Bedrock / Vertex spellings (`us.anthropic.…-v1:0`, `…@20251001`).
 */

/** The name lower-cased, without context markers or cloud-provider spellings. Keeps dates and `-latest`. */
function undecorated(model: string): string {
  return model
    .trim()
    .toLowerCase()
    .replace(/(\[[^\]]*\])+$/, '')
    .replace(/^anthropic\//, '')
    .replace(/^(?:[a-z]{2,6}\.)?anthropic\./, '')
    .replace(/-v\d+(?::\d+)?$/, '')
    .replace(/@(\d{8})$/, '-$1');
}

/** Names to try, most specific first: as sent (undecorated), then without `-latest`, then without a date. */
export function nameCandidates(model: string): string[] {
  const exact = undecorated(model);
  const noLatest = exact.replace(/-latest$/, '');
  const noDate = noLatest.replace(/-\d{8}$/, '');
  return [...new Set([exact, noLatest, noDate])];
}

/** The base name: lower-cased, no context marker, provider spelling, `-latest` or date. */
export function normalizeModelName(model: string): string {
  const all = nameCandidates(model);
  return all[all.length - 1] ?? '';
}
