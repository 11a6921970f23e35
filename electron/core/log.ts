/**
 * Structured logging that cannot leak secrets: keys named like credentials are dropped and any
 * string that looks like an Anthropic or Sluice key is masked, whatever field it hides in.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

const SECRET_KEYS = /^(x-api-key|authorization|api[_-]?key|token|secret|password|cookie)$/i;
const SECRET_VALUES = /\b(sk-ant-[A-Za-z0-9_-]+|sk-sluice-[A-Za-z0-9_-]+|Bearer\s+[A-Za-z0-9._~+/=-]+)/g;

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(SECRET_VALUES, (m) => `${m.slice(0, 7)}…[redacted]`);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(write: (line: string) => void, minLevel: LogLevel = 'info'): Logger {
  return {
    log(level, message, fields) {
      if (ORDER[level] < ORDER[minLevel]) return;
      const entry = { t: new Date().toISOString(), level, msg: redact(message), ...((redact(fields ?? {}) as Record<string, unknown>) ?? {}) };
      write(JSON.stringify(entry));
    },
  };
}

export const silentLogger: Logger = { log() {} };
