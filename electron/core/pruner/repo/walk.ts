import fs from 'node:fs';
import path from 'node:path';
import { childScope, isIgnored, rootScope, type IgnoreScope } from './gitignore';
import { classifyByName, classifyDir, DEFAULT_MAX_FILE_BYTES, type SkippedPath } from './skip-rules';

export interface WalkedFile {
  /** Relative to the repository, forward slashes. */
  path: string;
  size: number;
  mtimeMs: number;
}

export interface WalkResult {
  files: WalkedFile[];
  skipped: SkippedPath[];
}

export interface WalkOptions {
  maxFileBytes?: number;
}

/**
 * Every file git would track (honouring `.gitignore` files at every level and
 * `.git/info/exclude`), minus what is not worth indexing, reported in `skipped`.
 * Sorted by path so everything downstream is deterministic.
 */
export function walkRepository(repoRoot: string, opts: WalkOptions = {}): WalkResult {
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const files: WalkedFile[] = [];
  const skipped: SkippedPath[] = [];

  const visit = (relDir: string, scope: IgnoreScope): void => {
    const abs = relDir === '' ? repoRoot : path.join(repoRoot, relDir);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch {
      if (relDir !== '') skipped.push({ path: `${relDir}/`, reason: 'unreadable' });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const rel = relDir === '' ? e.name : `${relDir}/${e.name}`;
      if (e.isDirectory()) {
        const verdict = classifyDir(e.name);
        if (verdict === 'silent') continue;
        if (isIgnored(scope, rel, true)) continue;
        if (verdict === 'vendored') {
          skipped.push({ path: `${rel}/`, reason: 'vendored' });
          continue;
        }
        visit(rel, childScope(scope, repoRoot, rel));
      } else if (e.isSymbolicLink()) {
        if (!isIgnored(scope, rel, false)) skipped.push({ path: rel, reason: 'symlink' });
      } else if (e.isFile()) {
        if (isIgnored(scope, rel, false)) continue;
        let st: fs.Stats;
        try {
          st = fs.statSync(path.join(abs, e.name));
        } catch {
          skipped.push({ path: rel, reason: 'unreadable' });
          continue;
        }
        const reason = classifyByName(e.name, st.size, maxBytes);
        if (reason) skipped.push({ path: rel, reason });
        else files.push({ path: rel, size: st.size, mtimeMs: st.mtimeMs });
      }
    }
  };

  visit('', rootScope(repoRoot));
  return { files, skipped };
}

export type PathCheck = { kind: 'file'; file: WalkedFile } | { kind: 'skipped'; skip: SkippedPath } | { kind: 'absent' };

/**
 * The walk's verdict for one path, without walking the rest of the tree: what a file watcher
 * needs to update one entry in milliseconds. Files under an ignored or vendored folder are absent.
 */
export function inspectPath(repoRoot: string, relPath: string, opts: WalkOptions = {}): PathCheck {
  const segments = relPath.split('/');
  let scope = rootScope(repoRoot);
  let rel = '';
  for (const name of segments.slice(0, -1)) {
    rel = rel === '' ? name : `${rel}/${name}`;
    if (classifyDir(name) !== 'walk' || isIgnored(scope, rel, true)) return { kind: 'absent' };
    scope = childScope(scope, repoRoot, rel);
  }
  if (isIgnored(scope, relPath, false)) return { kind: 'absent' };
  let st: fs.Stats;
  try {
    st = fs.lstatSync(path.join(repoRoot, relPath));
  } catch {
    return { kind: 'absent' };
  }
  if (st.isSymbolicLink()) return { kind: 'skipped', skip: { path: relPath, reason: 'symlink' } };
  if (!st.isFile()) return { kind: 'absent' };
  const reason = classifyByName(segments[segments.length - 1] as string, st.size, opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  if (reason) return { kind: 'skipped', skip: { path: relPath, reason } };
  return { kind: 'file', file: { path: relPath, size: st.size, mtimeMs: st.mtimeMs } };
}
