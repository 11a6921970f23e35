import { execFile } from 'node:child_process';

export class GitError extends Error {
  override readonly name = 'GitError';
}

/** Runs git with arguments (never through a shell), returning stdout; a non-zero exit throws its stderr. */
export function git(cwd: string, args: readonly string[], opts: { timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...args],
      { cwd, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } },
      (error, stdout, stderr) => {
        if (error) reject(new GitError(`git ${args[0] ?? ''}: ${(stderr || error.message).toString().trim().split('\n').slice(-3).join(' ')}`));
        else resolve(stdout.toString());
      },
    );
  });
}

export async function gitOk(cwd: string, args: readonly string[]): Promise<string | null> {
  try {
    return await git(cwd, args);
  } catch {
    return null;
  }
}
