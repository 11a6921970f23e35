import fs from 'node:fs';
import path from 'node:path';
import { git, gitOk, GitError } from './git';

export interface RepoInfo {
  root: string;
  head: string;
}

/** The repository `dir` is in, and its current commit; null outside git or in a repository without commits. */
export async function repoOf(dir: string): Promise<RepoInfo | null> {
  const root = (await gitOk(dir, ['rev-parse', '--show-toplevel']))?.trim();
  if (!root) return null;
  const head = (await gitOk(dir, ['rev-parse', '--verify', 'HEAD']))?.trim();
  if (!head) return null;
  return { root: fs.realpathSync(root), head };
}

/** A worktree on a new branch from `base`, outside the user's working tree. */
export async function addWorktree(repoRoot: string, worktree: string, branch: string, base: string): Promise<void> {
  fs.mkdirSync(path.dirname(worktree), { recursive: true });
  await git(repoRoot, ['worktree', 'add', '--quiet', '-b', branch, worktree, base]);
}

const SLUICE_IDENTITY = ['-c', 'user.name=Sluice', '-c', 'user.email=sluice@localhost'];

/**
 * Commits whatever the agent left in its worktree to its branch, so merge has something to merge and
 * the diff survives a discarded worktree. The user's git identity when they have one, else Sluice's.
 */
export async function commitAll(worktree: string, message: string): Promise<string | null> {
  await git(worktree, ['add', '-A']);
  const staged = await git(worktree, ['diff', '--cached', '--name-only']);
  if (staged.trim() === '') return null;
  const hasIdentity = (await gitOk(worktree, ['config', 'user.email']))?.trim();
  await git(worktree, [...(hasIdentity ? [] : SLUICE_IDENTITY), 'commit', '--quiet', '--no-verify', '-m', message]);
  return (await git(worktree, ['rev-parse', 'HEAD'])).trim();
}

export interface FileChange {
  path: string;
  added: number;
  removed: number;
}

export interface DiffSummary {
  files: FileChange[];
  added: number;
  removed: number;
  /** `git diff --stat`, for people. */
  stat: string;
}

/** What a task changed since its base commit: its branch plus anything not committed yet. */
export async function diffSince(worktree: string, base: string, opts: { patch?: boolean } = {}): Promise<DiffSummary & { patch?: string }> {
  // Intent-to-add makes new files visible to `git diff` without staging their content.
  await gitOk(worktree, ['add', '-A', '--intent-to-add']);
  const numstat = await git(worktree, ['diff', '--numstat', base]);
  const files: FileChange[] = numstat
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [a, r, ...p] = l.split('\t');
      return { path: p.join('\t'), added: a === '-' ? 0 : Number(a), removed: r === '-' ? 0 : Number(r) };
    });
  const stat = await git(worktree, ['diff', '--stat', base]);
  const out: DiffSummary & { patch?: string } = {
    files,
    added: files.reduce((s, f) => s + f.added, 0),
    removed: files.reduce((s, f) => s + f.removed, 0),
    stat: stat.trimEnd(),
  };
  if (opts.patch) out.patch = await git(worktree, ['diff', base]);
  return out;
}

/** The diff of a branch whose worktree is gone (after a merge). */
export async function diffOfBranch(repoRoot: string, base: string, branch: string): Promise<DiffSummary> {
  const numstat = await git(repoRoot, ['diff', '--numstat', base, branch]);
  const files = numstat
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [a, r, ...p] = l.split('\t');
      return { path: p.join('\t'), added: a === '-' ? 0 : Number(a), removed: r === '-' ? 0 : Number(r) };
    });
  const stat = await git(repoRoot, ['diff', '--stat', base, branch]);
  return { files, added: files.reduce((s, f) => s + f.added, 0), removed: files.reduce((s, f) => s + f.removed, 0), stat: stat.trimEnd() };
}

/**
 * Merges the task's branch into whatever the user's checkout has checked out. A conflict is aborted,
 * leaving the checkout as it was, and reported with the files in conflict.
 */
export async function mergeBranch(repoRoot: string, branch: string, message: string): Promise<{ ok: true; commit: string } | { ok: false; message: string }> {
  const hasIdentity = (await gitOk(repoRoot, ['config', 'user.email']))?.trim();
  try {
    await git(repoRoot, [...(hasIdentity ? [] : SLUICE_IDENTITY), 'merge', '--no-ff', '--no-edit', '-m', message, branch]);
  } catch (e) {
    const conflicts = (await gitOk(repoRoot, ['diff', '--name-only', '--diff-filter=U']))?.trim().split('\n').filter(Boolean) ?? [];
    await gitOk(repoRoot, ['merge', '--abort']);
    if (conflicts.length > 0) return { ok: false, message: `The merge conflicts in ${conflicts.join(', ')}; nothing was changed. Resolve it by hand: git merge ${branch}` };
    return { ok: false, message: `git could not merge ${branch}: ${(e as Error).message}` };
  }
  return { ok: true, commit: (await git(repoRoot, ['rev-parse', 'HEAD'])).trim() };
}

/** Removes the worktree (and its folder) and, when asked, the branch. */
export async function removeWorktree(repoRoot: string, worktree: string | null, branch: string | null, opts: { deleteBranch: boolean }): Promise<void> {
  if (worktree && fs.existsSync(worktree)) {
    try {
      await git(repoRoot, ['worktree', 'remove', '--force', worktree]);
    } catch (e) {
      if (!(e instanceof GitError)) throw e;
      fs.rmSync(worktree, { recursive: true, force: true });
    }
  }
  await gitOk(repoRoot, ['worktree', 'prune']);
  if (branch && opts.deleteBranch) await gitOk(repoRoot, ['branch', '-D', branch]);
}
