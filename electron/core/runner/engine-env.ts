import fs from 'node:fs';
import path from 'node:path';

/**
 * Variables an agent must not inherit: ones that would send it around the gateway (another base URL,
 * Bedrock, Vertex) or hand it a real credential instead of its task token.
 */
const WITHHELD = /^(ANTHROPIC_|SLUICE_|CLAUDE_CODE_USE_|CLAUDE_CODE_OAUTH|CLAUDE_CONFIG_DIR$|AWS_BEARER_TOKEN_BEDROCK$|CLAUDE_CODE_API_KEY)/;

export interface AgentEnvInput {
  base: Readonly<Record<string, string | undefined>>;
  gatewayUrl: string;
  token: string;
  taskId: string;
  configDir: string;
}

/** The environment of one task's Claude Code: the user's, minus credentials, pointed at the gateway. */
export function agentEnv(i: AgentEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(i.base)) if (v !== undefined && !WITHHELD.test(k)) env[k] = v;
  const noProxy = [env.NO_PROXY ?? env.no_proxy, '127.0.0.1', 'localhost'].filter(Boolean).join(',');
  return {
    ...env,
    ANTHROPIC_BASE_URL: i.gatewayUrl,
    ANTHROPIC_API_KEY: i.token,
    // "Name: value" lines (Claude Code's documented format): the gateway attributes every request to the task.
    ANTHROPIC_CUSTOM_HEADERS: `x-sluice-task-id: ${i.taskId}`,
    // Sessions live with Sluice's data, so a resume finds them whichever process runs it.
    CLAUDE_CONFIG_DIR: i.configDir,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    CLAUDE_AGENT_SDK_CLIENT_APP: 'sluice',
    NO_PROXY: noProxy,
  };
}

/** Whether Claude Code has written a transcript for `sessionId` under `configDir` (so it can be resumed). */
export function sessionExists(configDir: string, sessionId: string): boolean {
  const projects = path.join(configDir, 'projects');
  let dirs: string[];
  try {
    dirs = fs.readdirSync(projects);
  } catch {
    return false;
  }
  return dirs.some((d) => fs.existsSync(path.join(projects, d, `${sessionId}.jsonl`)));
}
