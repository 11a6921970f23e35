import type { IncomingHttpHeaders } from 'node:http';

/** The agent token, from `x-api-key` (Anthropic SDKs, Claude Code) or `Authorization: Bearer`. */
export function tokenFrom(headers: IncomingHttpHeaders): string | null {
  const key = headers['x-api-key'];
  if (typeof key === 'string' && key.trim() !== '') return key.trim();
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m?.[1]) return m[1].trim();
  }
  return null;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * DNS-rebinding defence: a page on evil.example that resolves its name to 127.0.0.1 still sends
 * `Host: evil.example`. We answer only requests addressed to a loopback name (or a host the user
 * explicitly allowed when binding elsewhere).
 */
export function hostAllowed(hostHeader: string | undefined, port: number, extraHosts: readonly string[] = []): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.trim().toLowerCase();
  let name = host;
  let hostPort: string | null = null;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
  if (!m) return false;
  name = m[1] as string;
  hostPort = m[2] ?? null;
  if (hostPort !== null && Number(hostPort) !== port) return false;
  return LOOPBACK_HOSTS.has(name) || extraHosts.map((h) => h.toLowerCase()).includes(name);
}
