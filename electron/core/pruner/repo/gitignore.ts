import ignore, { type Ignore } from 'ignore';
import fs from 'node:fs';
import path from 'node:path';

/** The ignore rules in force inside one folder: its own `.gitignore` on top of its parents'. */
export interface IgnoreScope {
  /** Folder the rules are relative to, repository-relative ('' for the root). */
  base: string;
  rules: Ignore;
  parent: IgnoreScope | null;
}

function readRules(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

export function rootScope(repoRoot: string): IgnoreScope {
  const rules = ignore();
  const info = readRules(path.join(repoRoot, '.git', 'info', 'exclude'));
  if (info) rules.add(info);
  const own = readRules(path.join(repoRoot, '.gitignore'));
  if (own) rules.add(own);
  return { base: '', rules, parent: null };
}

/** The scope for a sub-folder: a new one only when it has its own `.gitignore`. */
export function childScope(scope: IgnoreScope, repoRoot: string, relDir: string): IgnoreScope {
  const own = readRules(path.join(repoRoot, relDir, '.gitignore'));
  if (!own) return scope;
  return { base: relDir, rules: ignore().add(own), parent: scope };
}

/**
 * Git's precedence: the deepest `.gitignore` that says anything about the path wins, so a
 * nested `!keep.txt` re-includes what a parent excluded.
 */
export function isIgnored(scope: IgnoreScope, relPath: string, isDir: boolean): boolean {
  const chain: IgnoreScope[] = [];
  for (let s: IgnoreScope | null = scope; s; s = s.parent) chain.push(s);
  let ignored = false;
  for (let i = chain.length - 1; i >= 0; i--) {
    const s = chain[i] as IgnoreScope;
    const rel = s.base === '' ? relPath : relPath.slice(s.base.length + 1);
    const r = s.rules.test(isDir ? `${rel}/` : rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}
