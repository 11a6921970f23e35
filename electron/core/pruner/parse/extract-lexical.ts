import type { Definition, FileFacts, Import } from './facts';
import { nestDefinitions } from './signature';

/**
 * For languages without a grammar here: declarations recognised by their keyword, Markdown
 * headings as the outline, identifiers as references. Crude, but it gives every file an
 * outline and a place in the graph.
 */
const DECLARATION =
  /^(\s*)(?:(?:export|public|private|protected|internal|static|final|abstract|async|pub|open|override|inline|extern|virtual|local)\s+)*(def|function|func|fn|fun|class|struct|interface|enum|trait|module|namespace|sub|proc|type|impl|object|record|protocol|extension|defmodule|defp?|macro)\s+([A-Za-z_][\w:.!?]*)/;

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const IMPORT_LINE = /^\s*(?:import|from|require|include|#include|use|using|source|load)\b[^'"<\n]*['"<]([^'">\n]+)['">]/;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;

export function extractLexically(source: string, language: string): FileFacts {
  const lines = source.split('\n');
  const definitions: Definition[] = [];
  const imports: Import[] = [];
  const markdown = language === 'markdown';
  const code = !['markdown', 'text', 'rst', 'json', 'yaml', 'toml', 'ini', 'xml', 'html', 'css'].includes(language);
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (markdown) {
      if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
      const h = inFence ? null : HEADING.exec(line);
      if (h) {
        const text = (h[2] as string).slice(0, 120);
        definitions.push({ name: text, kind: 'heading', line: i + 1, endLine: i + 1, signature: line.trim().slice(0, 160), depth: 0 });
      }
      continue;
    }
    if (!code) continue;
    const d = DECLARATION.exec(line);
    if (d) {
      const name = (d[3] as string).replace(/[.:]+$/, '');
      definitions.push({ name, kind: d[2] as string, line: i + 1, endLine: i + 1, signature: line.trim().slice(0, 160), depth: 0 });
    }
    const imp = IMPORT_LINE.exec(line);
    if (imp) imports.push({ spec: imp[1] as string, line: i + 1 });
  }

  const defined = new Set(definitions.map((d) => d.name));
  const references = new Map<string, number>();
  if (code) {
    for (const m of source.matchAll(IDENT)) {
      const t = m[0];
      if (t.length < 3) continue;
      references.set(t, (references.get(t) ?? 0) + 1);
    }
    // The declaring occurrence is not a use.
    for (const name of defined) {
      const n = references.get(name);
      if (n === undefined) continue;
      if (n <= 1) references.delete(name);
      else references.set(name, n - 1);
    }
  }
  return { parser: 'lexical', definitions: nestDefinitions(definitions), references, imports };
}
