/**
 * What a CLI command may touch. Commands take this instead of `process` so tests can
 * run them in-process with captured output and a chosen environment.
 */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads all of standard input (empty string when stdin is a TTY or closed). */
  readStdin(): Promise<string>;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

/** Bad usage or bad input: the CLI prints the message on one line and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit codes: 0 ok, 1 failure, 2 bad usage/input. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export type CliCommand = (args: readonly string[], io: CliIo) => Promise<number>;
