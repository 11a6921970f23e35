import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../../electron/core/services';
import { configFromEnv } from '../../../electron/core/config/config';

describe('a crash mid-request', () => {
  it('loses no settled request and leaves no money reserved after a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-crash-'));
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', 'crash-child.ts'), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('in-flight') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${err}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const core = createCore({ config: { ...configFromEnv({}), dataDir: dir }, env: {}, defaultTimeZone: 'UTC' });
    try {
      const rows = core.db.prepare('SELECT cost_micros, session_id FROM requests').all();
      expect(rows).toEqual([{ cost_micros: 123_456, session_id: 's1' }]);
      expect(core.db.prepare('SELECT COUNT(*) AS n FROM reservations').get()).toEqual({ n: 0 });
      const status = core.enforcer.status();
      expect(status.spentMicros).toBe(123_456);
      expect(status.reservedMicros).toBe(0);
      expect(core.enforcer.admit({ agentId: null, amountMicros: 800_000, tokens: 1 }).ok).toBe(true);
    } finally {
      core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
