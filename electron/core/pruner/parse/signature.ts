import type { Definition } from './facts';

const MAX_SIGNATURE_CHARS = 160;

/** The declaration from the start of its line to its body, whitespace collapsed, capped. */
export function oneLineSignature(source: string, start: number, end: number): string {
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const firstLineEnd = source.indexOf('\n', start);
  // Declarations without a body (a field, a constant) show their first line only.
  const stop = end > start ? end : firstLineEnd === -1 ? source.length : firstLineEnd;
  const text = source.slice(lineStart, Math.min(stop, lineStart + 4 * MAX_SIGNATURE_CHARS)).replace(/\s+/g, ' ').trim();
  return text.length > MAX_SIGNATURE_CHARS ? `${text.slice(0, MAX_SIGNATURE_CHARS - 1)}…` : text;
}

/** Sorts by position and sets `depth` from containment, so outlines can indent members under classes. */
export function nestDefinitions(defs: Definition[]): Definition[] {
  const sorted = [...defs].sort((a, b) => a.line - b.line || b.endLine - a.endLine || (a.name < b.name ? -1 : 1));
  const open: Definition[] = [];
  for (const d of sorted) {
    while (open.length > 0 && (open[open.length - 1] as Definition).endLine < d.line) open.pop();
    // A definition on the very same line range as its container (a one-liner) is a sibling, not a child.
    while (open.length > 0) {
      const top = open[open.length - 1] as Definition;
      if (top.line === d.line && top.endLine === d.endLine) open.pop();
      else break;
    }
    d.depth = open.length;
    open.push(d);
  }
  return sorted;
}
