import type { CliIo } from './io';
import { UsageError } from './io';
import { configFromEnv, type CoreConfig } from '../config/config';
import { createCore, type Core } from '../services';
import { createLogger, silentLogger } from '../log';

/** Builds the core for a CLI command, with flags over the environment. */
export function openCore(io: CliIo, flags: { dataDir?: string; port?: number } = {}, opts: { verbose?: boolean } = {}): Core {
  let config: CoreConfig;
  try {
    config = configFromEnv(io.env);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (flags.dataDir) config = { ...config, dataDir: flags.dataDir };
  if (flags.port !== undefined) config = { ...config, port: flags.port };
  return createCore({
    config,
    env: io.env,
    log: opts.verbose ? createLogger((line) => io.stderr(line + '\n')) : silentLogger,
  });
}
