import type { CliCommand } from '../io';
import { UsageError } from '../io';
import { parse } from '../args';
import { openCore } from '../context';
import { startServer } from '../../host/start';
import { uiFactory } from '../../host/ui-factory';
import { startRunner } from '../../runner/start';
import { deferredRunnerPort } from '../../runner/port';
import { pruningContext } from '../../runner/pruning-context';

const USAGE = 'sluice serve [--port N] [--data-dir DIR] [--verbose]';

export const serve: CliCommand = async (args, io) => {
  const { values, positionals } = parse(args, { port: { type: 'string' }, 'data-dir': { type: 'string' }, verbose: { type: 'boolean' } }, USAGE);
  if (positionals.length) throw new UsageError(`Unexpected argument "${positionals[0]}". Usage: ${USAGE}`);
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) throw new UsageError(`--port must be a port number (0–65535), got "${values.port}".`);
  }
  const core = openCore(io, { dataDir: values['data-dir'], port }, { verbose: values.verbose });
  let host;
  const runnerPort = deferredRunnerPort();
  const ui = uiFactory(io, { runner: runnerPort });
  try {
    host = await startServer(core, { ui });
  } catch (e) {
    core.close();
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') {
      io.stderr(`sluice: port ${core.config.port} is already in use (is another Sluice running?). Use --port N or SLUICE_PORT.\n`);
      return 1;
    }
    throw e;
  }
  const runner = startRunner(core, { gatewayUrl: host.url, claudeExecutable: io.env.SLUICE_CLAUDE_PATH, context: pruningContext(core.config.dataDir) });
  runnerPort.bind(runner);
  const dashboard = ui.dashboardUrl(host.url);
  io.stdout(
    [
      `Sluice is running on ${host.url}`,
      dashboard ? `  Dashboard:  ${dashboard}` : null,
      `  Gateway:    ANTHROPIC_BASE_URL=${host.url}  (a token: \`sluice agents add NAME\` or \`eval "$(sluice env NAME)"\`)`,
      `  Anthropic:  ${core.anthropic.hasKey() ? `key configured, upstream ${core.anthropic.baseURL}` : 'no API key yet — set ANTHROPIC_API_KEY or add it in Settings'}`,
      `  Ollama:     ${core.config.ollamaHost}`,
      `  Data:       ${core.config.dataDir}`,
      'Press Ctrl+C to stop.',
    ]
      .filter((l): l is string => l !== null)
      .join('\n') + '\n',
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await runner.stop();
  ui.close();
  await host.close();
  core.close();
  return 0;
};
