import fs from 'node:fs';
import path from 'node:path';

/** The two file-system questions the path check asks; injected so tests can build any tree. */
export interface PathFs {
  /** The real path of an existing entry (symlinks followed), or null when it does not exist. */
  realpath(p: string): string | null;
  /** The target of a symlink, or null when `p` is not one. */
  readlink(p: string): string | null;
}

export const nodePathFs: PathFs = {
  realpath: (p) => {
    try {
      return fs.realpathSync.native(p);
    } catch {
      return null;
    }
  },
  readlink: (p) => {
    try {
      return fs.readlinkSync(p);
    } catch {
      return null;
    }
  },
};

/**
 * Where a path really leads, resolved one component at a time the way the OS does: an existing
 * component through its symlinks before any `..` that follows it (`link/../x` leaves from the link's
 * target, not from `link`'s folder). A dangling symlink is followed to its target too, because writing
 * through it creates the target.
 */
export function realTarget(p: string, cwd: string, fsx: PathFs, depth = 0): string {
  const start = path.isAbsolute(p) ? path.parse(p).root : (fsx.realpath(cwd) ?? cwd);
  const rest = path.isAbsolute(p) ? p.slice(start.length) : p;
  let cur = start;
  let exists = true;
  for (const comp of rest.split(/[\\/]+/)) {
    if (comp === '' || comp === '.') continue;
    if (comp === '..') {
      cur = path.dirname(cur);
      continue;
    }
    const next = path.join(cur, comp);
    if (exists) {
      const real = fsx.realpath(next);
      if (real !== null) {
        cur = real;
        continue;
      }
      const link = fsx.readlink(next);
      if (link !== null && depth < 40) {
        cur = realTarget(link, cur, fsx, depth + 1);
        exists = false;
        continue;
      }
      exists = false;
    }
    cur = next;
  }
  return cur;
}

export function isInside(root: string, target: string): boolean {
  if (target === root) return true;
  return target.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * Null when `raw` stays inside `root` (a real path); otherwise the reason, in words the user reads on
 * the task. Two readings must both stay inside: the path as the OS resolves it, and the path after a
 * tool normalizes it first (`link/../x` → `x`), because we do not know which one the tool does.
 */
export function pathProblem(raw: string, root: string, cwd: string, fsx: PathFs): string | null {
  if (raw.startsWith('~')) return `"${raw}" is in the home folder, outside the task's worktree`;
  const asOs = realTarget(raw, cwd, fsx);
  const normalized = realTarget(path.resolve(cwd, raw), cwd, fsx);
  for (const target of [asOs, normalized]) {
    if (isInside(root, target)) continue;
    const lexical = path.resolve(fsx.realpath(cwd) ?? cwd, raw);
    return isInside(root, lexical) || target !== lexical
      ? `"${raw}" leads outside the task's worktree through a symlink (to ${target})`
      : `"${raw}" is outside the task's worktree (${root})`;
  }
  return null;
}

/** The worktree's `.git` is a pointer into the user's repository: an agent must not rewrite it. */
export function touchesGitDir(raw: string, root: string, cwd: string): boolean {
  const rel = path.relative(root, path.resolve(cwd, raw));
  return rel.split(/[\\/]+/).includes('.git');
}
