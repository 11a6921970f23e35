import type { RankedFile } from '../rank/rank-files';
import { folderLine, folderMapHeader, type FolderLine } from './sections';

const NAMES_PER_FOLDER = 6;

interface Folder extends FolderLine {
  relevance: number;
}

/**
 * One line per folder for the files the brief did not show, most relevant names first.
 * When the lines do not all fit, the least relevant folders go and a last line says how many.
 */
export function renderFolderMap(
  files: readonly RankedFile[],
  shown: ReadonlySet<string>,
  maxTokens: number,
  count: (text: string) => number,
): string {
  const folders = new Map<string, Folder & { ranked: RankedFile[] }>();
  for (const f of files) {
    if (shown.has(f.path)) continue;
    const cut = f.path.lastIndexOf('/');
    const folder = cut < 0 ? './' : `${f.path.slice(0, cut)}/`;
    const entry = folders.get(folder) ?? { folder, fileCount: 0, names: [], relevance: 0, ranked: [] };
    entry.fileCount++;
    entry.relevance = Math.max(entry.relevance, f.score);
    entry.ranked.push(f);
    folders.set(folder, entry);
  }
  if (folders.size === 0) return '';
  const header = folderMapHeader();
  let left = maxTokens - count(header);
  if (left <= 0) return '';

  const all = [...folders.values()];
  for (const f of all) {
    f.names = f.ranked
      .sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : 1))
      .slice(0, NAMES_PER_FOLDER)
      .map((r) => r.path.slice(r.path.lastIndexOf('/') + 1));
  }
  const byRelevance = [...all].sort((a, b) => b.relevance - a.relevance || (a.folder < b.folder ? -1 : 1));
  const kept: Array<{ folder: string; line: string }> = [];
  const moreLine = (n: number): string => `… ${n} more folder${n === 1 ? '' : 's'}\n`;
  const reserveMore = count(moreLine(all.length));
  for (const f of byRelevance) {
    const line = folderLine(f, NAMES_PER_FOLDER);
    const t = count(line);
    const needMore = kept.length + 1 < all.length ? reserveMore : 0;
    if (t + needMore > left) continue;
    kept.push({ folder: f.folder, line });
    left -= t;
  }
  if (kept.length === 0) return '';
  kept.sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
  const dropped = all.length - kept.length;
  return header + kept.map((k) => k.line).join('') + (dropped > 0 ? moreLine(dropped) : '');
}
