/**
 * Matching what a task calls a file ("dayjs/plugin/utc", "_pytest/python.py:123", "ar-ly",
 * a docs URL ending in "is-today") to files in the repository. Both sides are normalised:
 * lower case, no separators, no code extension, and a folder's index file stands for the folder.
 */

const EXTENSION = /\.(d\.ts|[cm]?[jt]sx?|pyi?|go|rs|java|kt|rb|php|c|h|cc|cpp|hpp|cs|swift|scala|vue|svelte|json|ya?ml|toml|md|rst|txt|cfg|ini|html?)$/i;
const FOLDER_FILES = new Set(['index', 'init', 'mod']);

export function normalizeSegment(segment: string): string {
  return segment.replace(EXTENSION, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** 'src/plugin/utc/index.js' → ['src', 'plugin', 'utc']; 'src/_pytest/python.py' → ['src', 'pytest', 'python']. */
export function fileSegments(relPath: string): string[] {
  const segs = relPath.split('/').map(normalizeSegment);
  if (segs.length > 1 && FOLDER_FILES.has(segs[segs.length - 1] as string)) segs.pop();
  return segs;
}

export function hasExtension(segment: string): boolean {
  return EXTENSION.test(segment);
}

/**
 * How many trailing segments a mention shares with a file. A one-segment match counts only
 * when the mention named a file (had an extension): a bare word is too weak on its own.
 */
export function pathMatchLength(mention: readonly string[], file: readonly string[]): number {
  const m = mention.map(normalizeSegment);
  if (m.length > 1 && FOLDER_FILES.has(m[m.length - 1] as string)) m.pop();
  let k = 0;
  while (k < m.length && k < file.length && m[m.length - 1 - k] === file[file.length - 1 - k] && m[m.length - 1 - k] !== '') k++;
  if (k >= 2) return k;
  // A single shared name counts only when the mention named a file ("python.py"), not a bare word.
  return k === 1 && hasExtension(mention[mention.length - 1] as string) ? 1 : 0;
}
