import type { RankedFile } from '../rank/rank-files';
import { folderMapHeader } from './sections';

const NAMES_PER_LINE = 6;

/** All the map reads of a file (the coordinator's project prefix maps unranked files too). */
type MapFile = Pick<RankedFile, 'path' | 'score'>;

interface Entry {
  name: string;
  score: number;
}

function folderOf(p: string): string {
  const cut = p.lastIndexOf('/');
  return cut < 0 ? '' : p.slice(0, cut);
}

function depthOf(folder: string): number {
  return folder === '' ? 0 : folder.split('/').length;
}

function best(entries: Entry[], n: number): string[] {
  return [...entries]
    .sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, n)
    .map((e) => e.name);
}

/**
 * The lines of the map when folders deeper than `maxDepth` are folded into their ancestor at
 * that depth: "src/plugin/ 39 files in 38 folders: timezone/, utc/, …".
 */
function linesAtDepth(files: readonly MapFile[], maxDepth: number): Array<{ folder: string; line: string; relevance: number }> {
  interface Line {
    direct: Entry[];
    nested: Map<string, Entry & { count: number }>;
    relevance: number;
  }
  const lines = new Map<string, Line>();
  for (const f of files) {
    const folder = folderOf(f.path);
    const parts = folder === '' ? [] : folder.split('/');
    const visible = parts.slice(0, maxDepth).join('/');
    const line: Line = lines.get(visible) ?? { direct: [], nested: new Map(), relevance: 0 };
    line.relevance = Math.max(line.relevance, f.score);
    if (parts.length <= maxDepth) {
      line.direct.push({ name: f.path.slice(f.path.lastIndexOf('/') + 1), score: f.score });
    } else {
      const child = `${parts[maxDepth]}/`;
      const entry = line.nested.get(child) ?? { name: child, score: 0, count: 0 };
      entry.count++;
      entry.score = Math.max(entry.score, f.score);
      line.nested.set(child, entry);
    }
    lines.set(visible, line);
  }
  return [...lines].map(([folder, l]) => {
    const parts: string[] = [];
    if (l.direct.length > 0) {
      const names = best(l.direct, NAMES_PER_LINE);
      const rest = l.direct.length - names.length;
      parts.push(`${l.direct.length} file${l.direct.length === 1 ? '' : 's'}: ${names.join(', ')}${rest > 0 ? `, +${rest} more` : ''}`);
    }
    if (l.nested.size > 0) {
      const nested = [...l.nested.values()];
      const count = nested.reduce((n, e) => n + e.count, 0);
      const names = best(nested, NAMES_PER_LINE);
      const rest = nested.length - names.length;
      parts.push(`${count} file${count === 1 ? '' : 's'} in ${nested.length} folder${nested.length === 1 ? '' : 's'}: ${names.join(', ')}${rest > 0 ? `, +${rest} more` : ''}`);
    }
    return { folder, line: `${folder === '' ? './' : `${folder}/`} ${parts.join('; ')}\n`, relevance: l.relevance };
  });
}

/** A lower bound on the map's length in characters at `maxDepth`: every line is at least "<folder>/ 1 file: x\n". */
function shortestMapLength(folders: readonly string[], maxDepth: number): number {
  const seen = new Set<string>();
  let chars = 0;
  for (const f of folders) {
    const visible = depthOf(f) <= maxDepth ? f : f.split('/').slice(0, maxDepth).join('/');
    if (seen.has(visible)) continue;
    seen.add(visible);
    chars += visible.length + 12;
  }
  return chars;
}

/**
 * One line per folder for the files the brief did not show, most relevant names first. When
 * the lines do not fit, the deepest folders fold into their parents' lines; if even the top
 * level does not fit, the least relevant folders go and a last line says how many.
 */
export function renderFolderMap(
  files: readonly MapFile[],
  shown: ReadonlySet<string>,
  maxTokens: number,
  count: (text: string) => number,
): string {
  const rest = files.filter((f) => !shown.has(f.path));
  if (rest.length === 0) return '';
  const header = folderMapHeader();
  const room = maxTokens - count(header);
  if (room <= 0) return '';

  const folders = [...new Set(rest.map((f) => folderOf(f.path)))];
  const deepest = folders.reduce((d, f) => Math.max(d, depthOf(f)), 0);
  let lines = linesAtDepth(rest, deepest);
  for (let depth = deepest; depth >= 0; depth--) {
    // Cheaper still, from the folder names alone: a large repository has thousands of lines at its deeper levels.
    if (depth > 0 && shortestMapLength(folders, depth) / 6 > room) continue;
    lines = linesAtDepth(rest, depth);
    // A cheap bound first: the tokenizer is slow enough to matter across many depths.
    const text = lines.map((l) => l.line).join('');
    if (text.length / 6 > room) continue;
    if (count(text) <= room) return header + [...lines].sort(byFolder).map((l) => l.line).join('');
  }

  const moreLine = (n: number): string => `… ${n} more folder${n === 1 ? '' : 's'}\n`;
  let left = room - count(moreLine(lines.length));
  const kept: typeof lines = [];
  for (const l of [...lines].sort((a, b) => b.relevance - a.relevance || byFolder(a, b))) {
    const t = count(l.line);
    if (t > left) continue;
    kept.push(l);
    left -= t;
  }
  if (kept.length === 0) return '';
  const dropped = lines.length - kept.length;
  return header + kept.sort(byFolder).map((l) => l.line).join('') + (dropped > 0 ? moreLine(dropped) : '');
}

function byFolder(a: { folder: string }, b: { folder: string }): number {
  return a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0;
}
