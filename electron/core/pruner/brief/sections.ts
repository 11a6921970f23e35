/**
 * How each part of a brief reads. Every section starts with the file's path relative to the
 * repository root, so the agent can open exactly that file.
 */

export interface OutlineEntry {
  line: number;
  depth: number;
  signature: string;
}

/** A fence longer than any backtick run inside, so file contents cannot close it early. */
function fence(content: string): string {
  let longest = 2;
  for (const m of content.matchAll(/`{3,}/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(longest + 1);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function headerSection(repoName: string): string {
  return (
    `# Context for this task: repository ${repoName}\n` +
    'The files that matter most, whole; then outlines (line: declaration) and snippets (line: code) of related files; ' +
    'then one line per folder for the rest. Paths are relative to the repository root.\n\n'
  );
}

export function wholeSection(path: string, content: string, lines: number, language: string): string {
  const body = content.endsWith('\n') || content === '' ? content : `${content}\n`;
  const f = fence(body);
  return `## ${path} (whole, ${plural(lines, 'line')})\n${f}${language}\n${body}${f}\n\n`;
}

export function outlineSection(path: string, lines: number, entries: readonly OutlineEntry[], omitted: number): string {
  const width = String(entries.reduce((m, e) => Math.max(m, e.line), 0)).length;
  const body = entries.map((e) => `${String(e.line).padStart(width)}: ${'  '.repeat(e.depth)}${e.signature}\n`).join('');
  const more = omitted > 0 ? `… ${plural(omitted, 'more declaration')}\n` : '';
  return `## ${path} (outline, ${plural(lines, 'line')})\n${body}${more}\n`;
}

/** Numbered excerpts; `null` marks a gap between excerpts. */
export function snippetSection(path: string, lines: number, excerpt: ReadonlyArray<{ line: number; text: string } | null>, language: string): string {
  const width = String(excerpt.reduce((m, e) => Math.max(m, e?.line ?? 0), 0)).length;
  const body = excerpt.map((e) => (e ? `${String(e.line).padStart(width)}: ${e.text}\n` : '…\n')).join('');
  const f = fence(body);
  return `## ${path} (snippet, ${plural(lines, 'line')})\n${f}${language}\n${body}${f}\n\n`;
}

export function folderMapHeader(): string {
  return '## Rest of the repository (one line per folder)\n';
}
