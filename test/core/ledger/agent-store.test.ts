import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger, type Db } from '../../../electron/core/ledger/db';
import { AgentStore } from '../../../electron/core/ledger/agent-store';

const open: Db[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Two connections to one ledger file: the gateway's process and a `sluice` command beside it. */
function twoProcesses(): { gateway: AgentStore; cli: AgentStore; gatewayDb: Db } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-agents-'));
  dirs.push(dir);
  const a = openLedger(dir);
  const b = openLedger(dir);
  open.push(a, b);
  let now = Date.parse('2026-11-29T10:00:00Z');
  const clock = () => (now += 1_000);
  return { gateway: new AgentStore(a, clock), cli: new AgentStore(b, clock), gatewayDb: a };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('agent tokens at the gateway', () => {
  it('keeps answering a known token from memory, and refuses it on the next request after another process revokes it', async () => {
    const { gateway, cli } = twoProcesses();
    const { token } = cli.create('laptop');
    await tick();
    expect(gateway.authenticate(token)?.name).toBe('laptop');
    await tick();
    expect(gateway.authenticate(token)?.name).toBe('laptop');
    expect(cli.revoke('laptop')).toBe(true);
    await tick();
    expect(gateway.authenticate(token)).toBeNull();
  });

  it('sees a cap changed elsewhere and a revocation made in its own process', async () => {
    const { gateway, cli } = twoProcesses();
    const { token } = gateway.create('ci', { dailyCapMicros: 1_000_000 });
    expect(gateway.authenticate(token)?.dailyCapMicros).toBe(1_000_000);
    cli.setCap('ci', 2_000_000);
    await tick();
    expect(gateway.authenticate(token)?.dailyCapMicros).toBe(2_000_000);
    gateway.revoke('ci');
    expect(gateway.authenticate(token)).toBeNull();
  });

  it('refuses unknown and malformed tokens, and never stores a token in clear', async () => {
    const { gateway, gatewayDb } = twoProcesses();
    const { token } = gateway.create('bot');
    expect(gateway.authenticate(`${token}x`)).toBeNull();
    expect(gateway.authenticate('sk-ant-not-ours')).toBeNull();
    const stored = gatewayDb.prepare<[], { token_hash: string }>('SELECT token_hash FROM agent_tokens').all();
    expect(stored.map((r) => r.token_hash)).not.toContain(token);
    expect(JSON.stringify(stored)).not.toContain(token.slice(10));
  });
});
