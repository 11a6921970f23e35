// The Ollama provider (real ollama-js client) against the protocol-faithful fake Ollama server.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PullProgress } from '../../../../shared/contract';
import { startFakeOllama, type FakeOllama, type FakeOllamaOptions } from '../../../fakes/ollama';
import {
  OllamaModelError,
  OllamaUnavailableError,
  createOllamaProvider,
  type OllamaChatResponse,
} from '../../../../electron/core/providers/ollama/client';
import { anthropicToOllama, ollamaToAnthropic } from '../../../../electron/core/providers/ollama/translate';

let fake: FakeOllama | null = null;

afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function start(opts: FakeOllamaOptions = {}) {
  fake = await startFakeOllama(opts);
  return { fake, ollama: createOllamaProvider({ host: fake.url }) };
}

/** A port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const readTool = { name: 'Read', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } };

describe('status', () => {
  it('reports a running Ollama with its version', async () => {
    const { ollama, fake } = await start({ version: '0.13.1' });
    expect(await ollama.status()).toEqual({ running: true, version: '0.13.1', host: fake.url, hint: null });
  });

  it('reports Ollama not running, with how to start it, when nothing listens on the port', async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    const status = await createOllamaProvider({ host }).status();
    expect(status).toMatchObject({ running: false, version: null, host });
    expect(status.hint).toContain('Start it with `ollama serve` or open the Ollama app');
    expect(status.hint).not.toContain('\n');
  });

  it('says so when something else answers on the port', async () => {
    const other = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not here');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      const status = await createOllamaProvider({ host: `127.0.0.1:${(other.address() as AddressInfo).port}` }).status();
      expect(status.running).toBe(false);
      expect(status.hint).toMatch(/answered HTTP 404, not as Ollama/);
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
  });
});

describe('models', () => {
  it('lists installed models with context length and capabilities from show, flagging small contexts', async () => {
    const { ollama } = await start();
    const models = await ollama.list();
    expect(models).toEqual([
      {
        name: 'llama3.2:3b',
        family: 'llama',
        parameterSize: '3.2B',
        quantization: 'Q4_K_M',
        sizeBytes: 2_019_393_189,
        contextLength: 131_072,
        capabilities: ['completion', 'tools'],
        tooSmallForAgents: false,
      },
      {
        name: 'qwen2.5-coder:7b',
        family: 'qwen2',
        parameterSize: '7.6B',
        quantization: 'Q4_K_M',
        sizeBytes: 4_683_087_332,
        contextLength: 32_768,
        capabilities: ['completion', 'tools', 'insert'],
        tooSmallForAgents: true,
      },
    ]);
  });

  it('asks show once per model digest across lists', async () => {
    const { ollama, fake } = await start();
    await ollama.list();
    await ollama.list();
    expect(fake.requests.filter((r) => r.path === '/api/show')).toHaveLength(2);
    expect(fake.requests.filter((r) => r.path === '/api/tags')).toHaveLength(2);
  });

  it('shows one model', async () => {
    const { ollama } = await start({ models: [{ name: 'llava:7b', family: 'llama', contextLength: 4096, capabilities: ['completion', 'vision'] }] });
    expect(await ollama.show('llava:7b')).toEqual({ contextLength: 4096, capabilities: ['completion', 'vision'], family: 'llama' });
    await expect(ollama.show('nope:1b')).rejects.toMatchObject({ name: 'OllamaModelError', status: 404 });
  });

  it('lists loaded models after a chat, with the context window they were loaded with', async () => {
    const { ollama } = await start();
    expect(await ollama.ps()).toEqual([]);
    await ollama.chat({ model: 'llama3.2:3b', messages: [{ role: 'user', content: 'hi' }], options: { num_ctx: 65_536 } });
    const loaded = await ollama.ps();
    expect(loaded).toHaveLength(1);
    expect(loaded[0]).toMatchObject({ name: 'llama3.2:3b', sizeBytes: 2_019_393_189, vramBytes: 2_019_393_189, contextLength: 65_536 });
    expect(Date.parse(loaded[0]?.expiresAt ?? '')).toBeGreaterThan(Date.now());
  });

  it('deletes a model, and answers false for one that is not installed', async () => {
    const { ollama } = await start();
    expect(await ollama.remove('qwen2.5-coder:7b')).toBe(true);
    expect((await ollama.list()).map((m) => m.name)).toEqual(['llama3.2:3b']);
    expect(await ollama.remove('qwen2.5-coder:7b')).toBe(false);
  });
});

describe('pull', () => {
  it('reports per-layer progress that only grows, then done, and the model is installed', async () => {
    const { ollama } = await start({ pull: { layers: 3, bytesPerLayer: 1000 } });
    const seen: PullProgress[] = [];
    let t = 0;
    const provider = createOllamaProvider({ host: fake?.url ?? '', now: () => (t += 300) });
    const final = await provider.pull('gemma3:1b', (p) => seen.push(p));
    expect(final).toMatchObject({ model: 'gemma3:1b', state: 'done', status: 'success', completedBytes: 3000, totalBytes: 3000, error: null });
    expect(final.layers).toHaveLength(3);
    expect(final.layers.every((l) => l.completed === 1000 && l.total === 1000 && l.digest.startsWith('sha256:'))).toBe(true);
    expect(seen.at(-1)).toEqual(final);
    expect(seen.slice(0, -1).every((p) => p.state === 'running' && p.pullId === final.pullId)).toBe(true);
    for (let i = 1; i < seen.length; i++) expect(seen[i]?.completedBytes).toBeGreaterThanOrEqual(seen[i - 1]?.completedBytes ?? 0);
    expect(seen.some((p) => p.status === 'pulling manifest')).toBe(true);
    expect(seen.some((p) => p.status === 'verifying sha256 digest')).toBe(true);
    expect(seen.some((p) => p.bytesPerSecond > 0)).toBe(true);
    expect((await ollama.list()).map((m) => m.name)).toContain('gemma3:1b');
  });

  it('ends cancelled when the signal aborts mid-download, and nothing is installed', async () => {
    const { ollama } = await start({ pull: { layers: 2, bytesPerLayer: 1000, stepDelayMs: 30 } });
    const ac = new AbortController();
    const final = await ollama.pull(
      'gemma3:1b',
      (p) => {
        if (p.completedBytes > 0) ac.abort();
      },
      ac.signal,
    );
    expect(final).toMatchObject({ state: 'cancelled', status: 'cancelled' });
    expect((await ollama.list()).map((m) => m.name)).not.toContain('gemma3:1b');
  });

  it('ends cancelled at once when the signal is already aborted', async () => {
    const { ollama, fake } = await start();
    const final = await ollama.pull('gemma3:1b', () => undefined, AbortSignal.abort());
    expect(final.state).toBe('cancelled');
    expect(fake.requests.filter((r) => r.path === '/api/pull')).toHaveLength(0);
  });

  it('ends failed with Ollama’s message when the registry refuses', async () => {
    const { ollama } = await start({ pull: { failWith: 'pull model manifest: file does not exist' } });
    const final = await ollama.pull('no-such-model', () => undefined);
    expect(final).toMatchObject({ state: 'failed', error: 'pull model manifest: file does not exist' });
  });

  it('ends failed, without throwing, when Ollama is not running', async () => {
    const final = await createOllamaProvider({ host: `127.0.0.1:${await closedPort()}` }).pull('gemma3:1b', () => undefined);
    expect(final.state).toBe('failed');
    expect(final.error).toMatch(/not reachable/);
  });
});

describe('chat', () => {
  it('answers with usage from prompt_eval_count and eval_count', async () => {
    const { ollama } = await start();
    fake?.enqueue({ content: 'Hello there.', promptEvalCount: 26, evalCount: 4 });
    const resp = await ollama.chat({ model: 'llama3.2:3b', messages: [{ role: 'user', content: 'hi' }] });
    expect(resp.message.content).toBe('Hello there.');
    expect(ollamaToAnthropic(resp, { id: 'msg_x', model: 'llama3.2:3b' }).usage).toEqual({
      input_tokens: 26,
      output_tokens: 4,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  it('sends a translated tool-use history as Ollama expects it and gets a tool call back', async () => {
    const { ollama, fake } = await start();
    fake.enqueue({ toolCalls: [{ name: 'Read', arguments: { path: 'b.ts' } }] });
    const req = anthropicToOllama(
      {
        model: 'claude-sonnet-4-6',
        max_tokens: 500,
        tools: [readTool],
        messages: [
          { role: 'user', content: 'Read a.ts then b.ts' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_a', name: 'Read', input: { path: 'a.ts' } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_a', content: 'export const a = 1;' }] },
        ],
      },
      'llama3.2:3b',
      { vision: false, contextLength: 131_072 },
    );
    const resp = await ollama.chat(req);
    const msg = ollamaToAnthropic(resp, { id: 'msg_t', model: 'llama3.2:3b' });
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.content).toMatchObject([{ type: 'tool_use', name: 'Read', input: { path: 'b.ts' } }]);
    const wire = fake.requests.find((r) => r.path === '/api/chat')?.body;
    expect(wire).toMatchObject({
      model: 'llama3.2:3b',
      stream: false,
      options: { num_predict: 500, num_ctx: 131_072 },
      messages: [
        { role: 'user', content: 'Read a.ts then b.ts' },
        { role: 'assistant', content: '', tool_calls: [{ function: { name: 'Read', arguments: { path: 'a.ts' } } }] },
        { role: 'tool', content: 'export const a = 1;', tool_name: 'Read' },
      ],
      tools: [{ type: 'function', function: { name: 'Read', parameters: { type: 'object', required: ['path'] } } }],
    });
  });

  it('sends images as the base64 it was given, and never a file named by an image string', async () => {
    const { ollama, fake } = await start({ models: [{ name: 'llava:7b', capabilities: ['completion', 'vision'] }] });
    const dir = mkdtempSync(join(tmpdir(), 'sluice-ollama-'));
    const secret = join(dir, 'secret');
    writeFileSync(secret, 'TOP SECRET');
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    await ollama.chat({ model: 'llava:7b', messages: [{ role: 'user', content: 'look', images: [png, secret] }] });
    const sent = fake.requests.find((r) => r.path === '/api/chat')?.body as { messages: { images: string[] }[] };
    expect(sent.messages[0]?.images[0]).toBe(png);
    expect(sent.messages[0]?.images[1]).not.toBe(Buffer.from('TOP SECRET').toString('base64'));
  });

  it('throws OllamaModelError 404 for a model that is not installed', async () => {
    const { ollama } = await start();
    const err = await ollama.chat({ model: 'nope:1b', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OllamaModelError);
    expect(err).toMatchObject({ status: 404 });
  });

  it('throws OllamaUnavailableError when Ollama is busy (503), so the router can fall back', async () => {
    const { ollama } = await start({ busy: true });
    await expect(ollama.chat({ model: 'llama3.2:3b', messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(OllamaUnavailableError);
    await expect(ollama.list()).rejects.toBeInstanceOf(OllamaUnavailableError);
    const stream = ollama.chatStream({ model: 'llama3.2:3b', messages: [{ role: 'user', content: 'hi' }] });
    await expect(collect(stream)).rejects.toBeInstanceOf(OllamaUnavailableError);
  });

  it('throws OllamaUnavailableError when nothing listens', async () => {
    const ollama = createOllamaProvider({ host: `http://127.0.0.1:${await closedPort()}` });
    await expect(ollama.chat({ model: 'llama3.2:3b', messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(OllamaUnavailableError);
    await expect(ollama.ps()).rejects.toBeInstanceOf(OllamaUnavailableError);
  });
});

async function collect(it: AsyncIterable<OllamaChatResponse>): Promise<OllamaChatResponse[]> {
  const out: OllamaChatResponse[] = [];
  for await (const c of it) out.push(c);
  return out;
}

describe('chatStream', () => {
  it('streams text chunks then a tool call then the final counts', async () => {
    const { ollama, fake } = await start();
    fake.enqueue({ content: 'Let me read it.', toolCalls: [{ name: 'Read', arguments: { path: 'a.ts' } }], promptEvalCount: 80, evalCount: 12 });
    const chunks = await collect(ollama.chatStream({ model: 'llama3.2:3b', messages: [{ role: 'user', content: 'read a.ts' }], stream: true }));
    const last = chunks.at(-1);
    expect(last).toMatchObject({ done: true, prompt_eval_count: 80, eval_count: 12 });
    expect(chunks.slice(0, -1).every((c) => !c.done)).toBe(true);
    expect(chunks.map((c) => c.message.content).join('')).toBe('Let me read it.');
    expect(chunks.flatMap((c) => c.message.tool_calls ?? [])).toEqual([{ function: { name: 'Read', arguments: { path: 'a.ts' } } }]);
    expect(fake.requests.find((r) => r.path === '/api/chat')?.body).toMatchObject({ stream: true });
  });

  it('stops with an AbortError (not an unavailability) when the caller aborts mid-stream', async () => {
    const { ollama } = await start();
    fake?.enqueue({ content: 'one two three four five six seven eight', chunkDelayMs: 20 });
    const ac = new AbortController();
    const seen: OllamaChatResponse[] = [];
    const err = await (async () => {
      for await (const c of ollama.chatStream({ model: 'llama3.2:3b', messages: [{ role: 'user', content: 'count' }] }, ac.signal)) {
        seen.push(c);
        if (seen.length === 2) ac.abort();
      }
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('AbortError');
    expect(err).not.toBeInstanceOf(OllamaUnavailableError);
    expect(seen.length).toBeLessThan(8);
  });

  it('lets the caller stop reading early without hanging', async () => {
    const { ollama } = await start();
    fake?.enqueue({ content: 'a b c d e f g h', chunkDelayMs: 20 });
    let n = 0;
    for await (const c of ollama.chatStream({ model: 'llama3.2:3b', messages: [{ role: 'user', content: 'x' }] })) {
      n += c.done ? 0 : 1;
      break;
    }
    expect(n).toBe(1);
    // The provider is still usable.
    expect((await ollama.chat({ model: 'llama3.2:3b', messages: [{ role: 'user', content: 'again' }] })).done).toBe(true);
  });
});
