import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { cwdOf, isMainLoop, makeRepo, say, scripted, startRunnerHarness, write, type RunnerHarness } from '../runner/support';
import { promptUnits } from '../../fakes/anthropic-prompt';
import { rawRequest } from '../../support/harness';
import type { RecordedRequest } from '../../fakes/anthropic';
import type { RequestRow } from '../../../shared/contract';

/**
 * The real Claude Code engine (2.1.332, through the SDK, as the runner starts it) on two projects,
 * against the fake upstream's prompt cache: the gateway puts each project's prefix first in the system
 * prompt, so the second agent on a project reads tools + prefix from the cache, and an agent on
 * another project reads only the tools.
 */

let rh: RunnerHarness;
let repoA: string;
let repoB: string;
const ids: Record<'a1' | 'a2' | 'b1', string> = { a1: '', a2: '', b1: '' };

interface Body {
  system?: { type: string; text: string; cache_control?: unknown }[];
}

beforeAll(async () => {
  rh = await startRunnerHarness();
  rh.h.core.settings.update({ concurrency: 1 });
  repoA = makeRepo({ 'CLAUDE.md': 'Project A: run `npm test` before you finish.\n', 'src/a.ts': 'export const a = 1;\n', 'test/a.test.ts': '' });
  repoB = makeRepo({ 'AGENTS.md': 'Project B keeps a changelog.\n', 'lib/b.py': 'b = 1\n' });
  rh.h.anthropic.setResponder(scripted(() => [write('out.txt', 'done\n'), say('Done.')]));
  // One at a time, oldest first: a1 writes the cache, a2 (same project) then b1 (another) read it.
  for (const [key, project] of [['a1', repoA], ['a2', repoA], ['b1', repoB]] as const) {
    const r = rh.runner.dispatch({ prompt: `Write out.txt (${key}).`, project });
    if (!r.ok) throw new Error(r.error.message);
    ids[key] = r.value.id;
  }
  for (const id of Object.values(ids)) expect((await rh.waitFor(id, ['done', 'failed'])).state).toBe('done');
}, 120_000);
afterAll(async () => {
  await rh.close();
  for (const r of [repoA, repoB]) fs.rmSync(r, { recursive: true, force: true });
});

const upstreamOf = (id: string): RecordedRequest[] => rh.h.anthropic.requests.filter((r) => r.path === '/v1/messages' && isMainLoop(r) && cwdOf(r)?.endsWith(id));
const rowsOf = (id: string): RequestRow[] => rh.h.core.queries.requests({ limit: 1000 }).filter((r) => r.taskId === id).sort((x, y) => x.id - y.id);
/** The fake's tokens for the prompt up to and including unit `n` (tools → system → messages). */
const tokensThrough = (req: RecordedRequest, n: number): number => promptUnits(req.body as Record<string, unknown>).slice(0, n).reduce((s, u) => s + u.tokens, 0);

describe('the project prefix with the real engine', () => {
  it('puts the same project prefix first in every request of every task on the project, with a breakpoint, within four', () => {
    const first = (id: string) => (upstreamOf(id)[0]?.body as Body).system?.[0];
    const a1 = first(ids.a1);
    expect(a1?.text).toContain('## Instructions from CLAUDE.md\nProject A: run `npm test` before you finish.');
    expect(a1?.cache_control).toBeDefined();
    expect(first(ids.a2)?.text).toBe(a1?.text);
    expect(first(ids.b1)?.text).toContain('## Instructions from AGENTS.md');
    for (const id of Object.values(ids)) {
      const reqs = upstreamOf(id);
      expect(reqs.length).toBeGreaterThanOrEqual(2);
      for (const r of reqs) {
        expect((r.body as Body).system?.[0]?.text).toBe(first(id)?.text);
        expect(promptUnits(r.body as Record<string, unknown>).filter((u) => u.breakpoint).length).toBeLessThanOrEqual(4);
      }
    }
  });

  it('lets the second agent on the project read tools + project prefix from the cache, and an agent on another project only the tools', () => {
    const tools = ((upstreamOf(ids.a1)[0]?.body as { tools: unknown[] }).tools ?? []).length;
    const [a1] = rowsOf(ids.a1);
    const [a2] = rowsOf(ids.a2);
    const [b1] = rowsOf(ids.b1);
    const a2Req = upstreamOf(ids.a2)[0] as RecordedRequest;
    const b1Req = upstreamOf(ids.b1)[0] as RecordedRequest;
    expect(a1?.tokens.cacheRead).toBe(0);
    // At least tools + prefix; a little more when Claude Code's billing line happens to match a1's.
    expect(a2?.tokens.cacheRead).toBeGreaterThanOrEqual(tokensThrough(a2Req, tools + 1));
    expect(a2?.tokens.cacheRead).toBeLessThanOrEqual(tokensThrough(a2Req, tools + 3));
    expect(b1?.tokens.cacheRead).toBe(tokensThrough(b1Req, tools));
    expect(tokensThrough(b1Req, tools)).toBeLessThan(tokensThrough(b1Req, tools + 1));
  });

  it('chooses the TTL from the queue and says so in the ledger', () => {
    const [a1] = rowsOf(ids.a1);
    const [a2] = rowsOf(ids.a2);
    // While a1 ran (concurrency 1), a2 waited for a slot on the same project with no other agent of it running: worth an hour.
    expect(a1?.routeReason).toMatch(/project prefix shared \(~\d+ tokens, 1h: 1 task on the project waiting for a slot, none running\)/);
    expect(a1?.tokens.cacheWrite1h).toBeGreaterThan(0);
    expect(a2?.routeReason).toMatch(/project prefix shared \(~\d+ tokens, 5m: /);
  });

  it("agrees with Claude Code's own cost for a task that wrote 1-hour cache entries", () => {
    const rows = rowsOf(ids.a1);
    const ledger = rows.reduce((s, r) => s + r.costMicros, 0);
    const engine = rh.runner.detail(ids.a1)?.engineCostMicros ?? -1;
    expect(Math.abs(engine - ledger)).toBeLessThanOrEqual(rows.length);
  });

  it("passes an external agent's request through byte for byte, even with a task's id in its headers", async () => {
    const body = JSON.stringify({
      model: 'claude-sonnet-5-5',
      max_tokens: 2000,
      tools: [{ name: 'Read', description: 'Reads a file.', input_schema: { type: 'object', properties: {} }, cache_control: { type: 'ephemeral' } }],
      system: [{ type: 'text', text: 'You are an external agent.' }],
      messages: [{ role: 'user', content: 'Read the README.' }],
    });
    const before = rh.h.anthropic.requests.length;
    const res = await rawRequest(rh.h.host.url, {
      path: '/v1/messages',
      headers: { 'x-api-key': rh.h.token, 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-sluice-task-id': ids.a1 },
      body,
    });
    expect(res.status).toBe(200);
    const sent = rh.h.anthropic.requests.slice(before).filter((r) => r.path === '/v1/messages');
    expect(sent.map((r) => r.rawBody)).toEqual([body]);
  });

  it('can be turned off with routing.sharePrefix', async () => {
    rh.h.core.settings.update({ routing: { sharePrefix: false } });
    try {
      const r = rh.runner.dispatch({ prompt: 'Write out.txt (off).', project: repoA });
      if (!r.ok) throw new Error(r.error.message);
      expect((await rh.waitFor(r.value.id, ['done', 'failed'])).state).toBe('done');
      const reqs = upstreamOf(r.value.id);
      expect(reqs.length).toBeGreaterThan(0);
      for (const q of reqs) expect(q.rawBody).not.toContain('# Project ');
    } finally {
      rh.h.core.settings.update({ routing: { sharePrefix: true } });
    }
  }, 60_000);
});
