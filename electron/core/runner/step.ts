import path from 'node:path';
import type { ToolUse } from './engine';

const PATH_KEYS = ['file_path', 'notebook_path', 'path'];

/** "Edit src/app.ts", "Bash: npm test": what a task is doing now, in a line. */
export function describeStep(tools: readonly ToolUse[], root: string): string | null {
  const t = tools[0];
  if (!t) return null;
  const more = tools.length > 1 ? ` (+${tools.length - 1} more)` : '';
  if (t.name === 'Bash' && typeof t.input.command === 'string') return `Bash: ${oneLine(t.input.command, 80)}${more}`;
  for (const k of PATH_KEYS) {
    const v = t.input[k];
    if (typeof v === 'string' && v) {
      const rel = path.isAbsolute(v) ? path.relative(root, v) : v;
      return `${t.name} ${oneLine(rel && !rel.startsWith('..') ? rel : v, 100)}${more}`;
    }
  }
  if (typeof t.input.pattern === 'string') return `${t.name} ${oneLine(t.input.pattern, 80)}${more}`;
  return `${t.name}${more}`;
}

function oneLine(s: string, max: number): string {
  const l = s.replace(/\s+/g, ' ').trim();
  return l.length > max ? l.slice(0, max - 1) + '…' : l;
}
