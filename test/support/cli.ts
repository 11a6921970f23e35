import { runCli } from '../../electron/core/cli/main';
import type { CliIo } from '../../electron/core/cli/io';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/**
 * `sluice ARGS` run in this process against the ledger in `dataDir`, as a user's terminal would
 * (UTC, no Ollama unless `env` names one), with what it printed on each stream.
 */
export async function runSluice(o: { dataDir: string; args: string[]; cwd?: string; env?: Record<string, string>; stdin?: string }): Promise<CliResult> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    readStdin: async () => o.stdin ?? '',
    env: { SLUICE_DATA_DIR: o.dataDir, TZ: 'UTC', OLLAMA_HOST: 'http://127.0.0.1:9', ...(o.env ?? {}) },
    cwd: o.cwd ?? o.dataDir,
  };
  const code = await runCli(o.args, io);
  return { code, out, err };
}
