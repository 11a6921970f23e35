import type { CliCommand } from '../io';
import { UsageError } from '../io';
import { parse, table } from '../args';
import { openCore } from '../context';

const USAGE = 'sluice models [--json]';

function gb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(1)} GB`;
}

export const models: CliCommand = async (args, io) => {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, 'data-dir': { type: 'string' } }, USAGE);
  if (positionals.length) throw new UsageError(`Unexpected argument "${positionals[0]}". Usage: ${USAGE}`);
  const core = openCore(io, { dataDir: values['data-dir'] });
  try {
    const status = await core.ollama.status();
    if (!status.running) {
      if (values.json) io.stdout(JSON.stringify({ status, installed: [], loaded: [] }) + '\n');
      else io.stderr(`Ollama is not running at ${status.host}. ${status.hint ?? ''}\n`);
      return 1;
    }
    const [installed, loaded] = await Promise.all([core.ollama.list(), core.ollama.ps()]);
    if (values.json) {
      io.stdout(JSON.stringify({ status, installed, loaded }, null, 2) + '\n');
      return 0;
    }
    if (installed.length === 0) {
      io.stdout(`Ollama ${status.version ?? ''} is running, with no models yet. Pull one with \`ollama pull qwen2.5-coder\`.\n`);
      return 0;
    }
    const rows = [['NAME', 'FAMILY', 'PARAMS', 'QUANT', 'SIZE', 'CONTEXT', 'TOOLS', 'LOADED']];
    for (const m of installed) {
      const l = loaded.find((x) => x.name === m.name);
      rows.push([
        m.name,
        m.family ?? '?',
        m.parameterSize ?? '?',
        m.quantization ?? '?',
        gb(m.sizeBytes),
        m.contextLength === null ? '?' : `${m.contextLength.toLocaleString('en-US')}${m.tooSmallForAgents ? ' (too small for agents)' : ''}`,
        m.capabilities.includes('tools') ? 'yes' : 'no',
        l ? `yes, ${gb(l.vramBytes || l.sizeBytes)}` : 'no',
      ]);
    }
    io.stdout(`Ollama ${status.version ?? ''} at ${status.host}\n` + table(rows));
    const small = installed.filter((m) => m.tooSmallForAgents);
    if (small.length) io.stdout(`\nModels with under 64k context cut coding agents off mid-task. Raise it with OLLAMA_CONTEXT_LENGTH=65536 (or num_ctx in a Modelfile).\n`);
    return 0;
  } finally {
    core.close();
  }
};
