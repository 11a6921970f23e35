import fs from 'node:fs';
import path from 'node:path';
import type { RankedFile } from '../rank/rank-files';
import type { IndexDb } from '../store/index-db';
import { textTerms } from '../text/terms';
import type { Candidate, Section } from './pack';
import { outlineSection, snippetSection, wholeSection, type OutlineEntry } from './sections';

/** Above this, a file is never offered whole (it would not fit any sensible budget anyway). */
const MAX_WHOLE_CHARS = 120_000;
const SNIPPET_CONTEXT = 3;
const MAX_SNIPPET_REGIONS = 4;

interface DefinitionRow {
  name: string;
  line: number;
  depth: number;
  signature: string;
}

export interface RenderContext {
  root: string;
  db: IndexDb;
  /** The task's lexical terms, to find the lines a snippet should show. */
  taskTerms: ReadonlySet<string>;
  count: (text: string) => number;
}

/** Outline entries within `maxTokens`: the mentioned definitions first, then top-level ones, then members. */
function chooseOutline(defs: DefinitionRow[], file: RankedFile, maxTokens: number, count: (t: string) => number): OutlineEntry[] | null {
  const full = defs.map((d) => ({ line: d.line, depth: d.depth, signature: d.signature }));
  if (count(outlineSection(file.path, file.lines, full, 0)) <= maxTokens) return full;
  const mentioned = new Set(file.symbols);
  const order = defs
    .map((d, i) => ({ d, i, p: mentioned.has(d.name) ? 0 : d.depth === 0 ? 1 : 1 + d.depth }))
    .sort((a, b) => a.p - b.p || a.i - b.i);
  const chosen: typeof order = [];
  let used = count(outlineSection(file.path, file.lines, [], defs.length));
  if (used > maxTokens) return null;
  for (const o of order) {
    const t = count(`${o.d.line}: ${'  '.repeat(o.d.depth)}${o.d.signature}\n`) + 1;
    if (used + t > maxTokens) continue;
    chosen.push(o);
    used += t;
  }
  return chosen.sort((a, b) => a.i - b.i).map((o) => ({ line: o.d.line, depth: o.d.depth, signature: o.d.signature }));
}

/** Lines worth showing: stack-trace lines, definitions the task names, then the lines densest in task terms. */
function focusLines(lines: string[], file: RankedFile, defs: DefinitionRow[], taskTerms: ReadonlySet<string>): number[] {
  const focus: number[] = [...file.frameLines];
  const mentioned = new Set(file.symbols);
  for (const d of defs) if (mentioned.has(d.name)) focus.push(d.line);
  const scored: Array<{ line: number; hits: number }> = [];
  lines.forEach((text, i) => {
    let hits = 0;
    for (const t of new Set(textTerms(text))) if (taskTerms.has(t)) hits++;
    if (hits > 0) scored.push({ line: i + 1, hits });
  });
  scored.sort((a, b) => b.hits - a.hits || a.line - b.line);
  for (const s of scored.slice(0, MAX_SNIPPET_REGIONS)) focus.push(s.line);
  const seen = new Set<number>();
  return focus.filter((l) => l >= 1 && l <= lines.length && !seen.has(l) && seen.add(l)).slice(0, MAX_SNIPPET_REGIONS * 2);
}

export function candidateFor(file: RankedFile, ctx: RenderContext): Candidate {
  let content: string | null | undefined;
  let defs: DefinitionRow[] | undefined;
  const read = (): string | null => {
    if (content === undefined) {
      try {
        content = fs.readFileSync(path.join(ctx.root, file.path), 'utf8');
      } catch {
        content = null;
      }
    }
    return content;
  };
  const definitions = (): DefinitionRow[] => {
    defs ??= ctx.db
      .prepare('SELECT name, line, depth, signature FROM definitions WHERE file_id = ? ORDER BY line, depth, name')
      .all(file.id) as DefinitionRow[];
    return defs;
  };
  const section = (mode: Section['mode'], text: string): Section => ({ mode, text, tokens: ctx.count(text) });

  return {
    path: file.path,
    whole() {
      const c = read();
      if (c === null || c.length > MAX_WHOLE_CHARS) return null;
      return section('whole', wholeSection(file.path, c, file.lines, file.language));
    },
    outline(maxTokens) {
      const all = definitions();
      if (all.length === 0) return null;
      const entries = chooseOutline(all, file, maxTokens, ctx.count);
      if (!entries || entries.length === 0) return null;
      return section('outline', outlineSection(file.path, file.lines, entries, all.length - entries.length));
    },
    snippet(maxTokens) {
      const c = read();
      if (c === null) return null;
      const lines = c.split('\n');
      let focus = focusLines(lines, file, definitions(), ctx.taskTerms);
      if (focus.length === 0) focus = [1];
      for (let context = SNIPPET_CONTEXT; context >= 0; context--) {
        for (let regions = focus.length; regions >= 1; regions--) {
          const wanted = new Set<number>();
          for (const f of focus.slice(0, regions)) {
            for (let l = f - context; l <= f + context; l++) if (l >= 1 && l <= lines.length) wanted.add(l);
          }
          const sorted = [...wanted].sort((a, b) => a - b);
          const excerpt: Array<{ line: number; text: string } | null> = [];
          sorted.forEach((l, i) => {
            if (i > 0 && l !== (sorted[i - 1] as number) + 1) excerpt.push(null);
            excerpt.push({ line: l, text: (lines[l - 1] as string).slice(0, 240) });
          });
          const s = section('snippet', snippetSection(file.path, file.lines, excerpt, file.language));
          if (s.tokens <= maxTokens) return s;
        }
      }
      return null;
    },
  };
}
