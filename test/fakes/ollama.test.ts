import { Ollama, type ChatResponse, type ProgressResponse } from 'ollama';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_OLLAMA_ANSWER, startFakeOllama, type FakeOllama, type FakeOllamaOptions } from './ollama';

let fake: FakeOllama | undefined;
async function start(opts: FakeOllamaOptions = {}) {
  fake = await startFakeOllama(opts);
  return { fake, client: new Ollama({ host: fake.url }) };
}
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** ollama-js throws a ResponseError (not exported) carrying the server's `error` and the status. */
async function responseError(p: Promise<unknown>): Promise<{ name: string; error: string; status_code: number }> {
  const e = (await p.then(
    () => undefined,
    (err: unknown) => err,
  )) as { name: string; error: string; status_code: number } | undefined;
  if (!e) throw new Error('expected the call to fail');
  return e;
}

const messages = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Name three primes.' },
];
const promptCount = Math.ceil(('You are terse.'.length + 'Name three primes.'.length) / 4);

describe('fake Ollama through the ollama client', () => {
  it('answers a non-streamed chat with one JSON and counts computed from the request', async () => {
    const { client } = await start();
    const r = await client.chat({ model: 'llama3.2:3b', messages });
    expect(r.model).toBe('llama3.2:3b');
    expect(r.message).toEqual({ role: 'assistant', content: DEFAULT_OLLAMA_ANSWER });
    expect(r.done).toBe(true);
    expect(r.done_reason).toBe('stop');
    expect(r.prompt_eval_count).toBe(promptCount);
    expect(r.eval_count).toBe(Math.ceil(DEFAULT_OLLAMA_ANSWER.length / 4));
    expect(r.total_duration).toBe(r.load_duration + r.prompt_eval_duration + r.eval_duration);
    expect(Number.isNaN(Date.parse(String(r.created_at)))).toBe(false);
  });

  it('streams NDJSON chunks then a done line with the counters', async () => {
    const { fake, client } = await start();
    fake.enqueue({ content: '2, 3 and 5 are prime numbers.' });
    const parts: ChatResponse[] = [];
    for await (const part of await client.chat({ model: 'llama3.2:3b', messages, stream: true })) parts.push(part);
    const last = parts[parts.length - 1];
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.slice(0, -1).every((p) => !p.done)).toBe(true);
    expect(parts.map((p) => p.message.content).join('')).toBe('2, 3 and 5 are prime numbers.');
    expect(last?.done).toBe(true);
    expect(last?.done_reason).toBe('stop');
    expect(last?.prompt_eval_count).toBe(promptCount);
    expect(last?.eval_count).toBe(Math.ceil('2, 3 and 5 are prime numbers.'.length / 4));
    expect(fake.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('defaults `stream` to true on the wire, as Ollama does', async () => {
    const { fake } = await start();
    const res = await fetch(`${fake.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'llama3.2:3b', messages }) });
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { done: boolean });
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[lines.length - 1]?.done).toBe(true);
  });

  it('returns tool calls as message.tool_calls[{function:{name, arguments}}], streamed and not', async () => {
    const { fake, client } = await start({
      respond: (req) => (req.tools ? { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris', days: 2 } }] } : { content: 'no tools' }),
    });
    const tools = [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} } } }];
    const whole = await client.chat({ model: 'qwen2.5-coder:7b', messages, tools });
    expect(whole.message.tool_calls).toEqual([{ function: { name: 'get_weather', arguments: { city: 'Paris', days: 2 } } }]);
    expect(whole.message.content).toBe('');
    const calls = [];
    for await (const part of await client.chat({ model: 'qwen2.5-coder:7b', messages, tools, stream: true })) {
      if (part.message.tool_calls) calls.push(...part.message.tool_calls);
    }
    expect(calls).toEqual([{ function: { name: 'get_weather', arguments: { city: 'Paris', days: 2 } } }]);
    const body = fake.requests[0]?.body as { tools: unknown[] };
    expect(body.tools).toEqual(tools);
  });

  it('honours scripted counts and options.num_predict', async () => {
    const { fake, client } = await start();
    fake.enqueue({ content: 'hi', promptEvalCount: 1234, evalCount: 56 });
    const scripted = await client.chat({ model: 'llama3.2:3b', messages });
    expect([scripted.prompt_eval_count, scripted.eval_count]).toEqual([1234, 56]);
    fake.enqueue({ content: 'word '.repeat(100) });
    const cut = await client.chat({ model: 'llama3.2:3b', messages, options: { num_predict: 5 } });
    expect(cut.done_reason).toBe('length');
    expect(cut.eval_count).toBe(5);
  });

  it('fails an unknown model with a 404 ResponseError saying to pull it', async () => {
    const { client } = await start();
    const e = await responseError(client.chat({ model: 'mistral', messages }));
    expect(e.name).toBe('ResponseError');
    expect(e.status_code).toBe(404);
    expect(e.error).toBe('model "mistral" not found, try pulling it first');
  });

  it('passes scripted errors through with their status', async () => {
    const { fake, client } = await start();
    fake.enqueue({ error: 'model requires more system memory (9.1 GiB) than is available (4.0 GiB)', status: 500 });
    const e = await responseError(client.chat({ model: 'llama3.2:3b', messages }));
    expect(e.status_code).toBe(500);
    expect(e.error).toContain('more system memory');
  });

  it('lists installed models in /api/tags with details', async () => {
    const { client } = await start({ models: [{ name: 'phi4', family: 'phi3', parameterSize: '14.7B', quantization: 'Q4_K_M', sizeBytes: 9_053_116_391 }] });
    const { models } = await client.list();
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({
      name: 'phi4:latest',
      model: 'phi4:latest',
      size: 9_053_116_391,
      details: { format: 'gguf', family: 'phi3', families: ['phi3'], parameter_size: '14.7B', quantization_level: 'Q4_K_M' },
    });
    expect(models[0]?.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('shows a loaded model in /api/ps until its keep_alive lapses', async () => {
    let clock = Date.UTC(2026, 10, 28, 12, 0, 0);
    const { fake, client } = await start({ now: () => clock });
    expect((await client.ps()).models).toEqual([]);
    const first = await client.chat({ model: 'llama3.2:3b', messages, options: { num_ctx: 8192 } });
    const second = await client.chat({ model: 'llama3.2:3b', messages, keep_alive: '10m' });
    expect(first.load_duration).toBeGreaterThan(second.load_duration);
    const ps = await client.ps();
    expect(fake.loaded).toEqual(['llama3.2:3b']);
    expect(ps.models).toHaveLength(1);
    expect(ps.models[0]).toMatchObject({ name: 'llama3.2:3b', size: 2_019_393_189, size_vram: 2_019_393_189 });
    expect(new Date(ps.models[0]?.expires_at ?? 0).getTime()).toBe(clock + 10 * 60_000);
    expect((ps.models[0] as unknown as { context_length: number }).context_length).toBe(4096);
    clock += 11 * 60_000;
    expect((await client.ps()).models).toEqual([]);
    expect(fake.loaded).toEqual([]);
  });

  it('describes a model in /api/show with model_info, capabilities and template', async () => {
    const { client } = await start();
    const show = await client.show({ model: 'qwen2.5-coder:7b' });
    expect(show.capabilities).toEqual(['completion', 'tools', 'insert']);
    expect(show.details.family).toBe('qwen2');
    const info = show.model_info as unknown as Record<string, unknown>;
    expect(info['general.architecture']).toBe('qwen2');
    expect(info['qwen2.context_length']).toBe(32_768);
    expect(show.template.length).toBeGreaterThan(0);
    expect(show.parameters).toContain('temperature');
    const e = await responseError(client.show({ model: 'nope' }));
    expect(e.status_code).toBe(404);
  });

  it('pulls with the real progress sequence, then lists the model', async () => {
    const { client } = await start({ pull: { layers: 2, bytesPerLayer: 1000 } });
    const steps: ProgressResponse[] = [];
    for await (const p of await client.pull({ model: 'gemma3:1b', stream: true })) steps.push(p);
    const statuses = steps.map((s) => s.status);
    expect(statuses[0]).toBe('pulling manifest');
    expect(statuses.slice(-3)).toEqual(['verifying sha256 digest', 'writing manifest', 'success']);
    const layer = steps.filter((s) => s.status.startsWith('pulling ') && s.digest);
    expect(new Set(layer.map((s) => s.digest)).size).toBe(2);
    for (const s of layer) {
      expect(s.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(s.status).toBe(`pulling ${s.digest.slice(7, 19)}`);
      expect(s.total).toBe(1000);
    }
    const firstLayer = layer.filter((s) => s.digest === layer[0]?.digest).map((s) => s.completed);
    expect(firstLayer).toEqual([...firstLayer].sort((a, b) => a - b));
    expect(firstLayer[firstLayer.length - 1]).toBe(1000);
    expect((await client.list()).models.map((m) => m.name)).toContain('gemma3:1b');
  });

  it('pulls without streaming as one {status:"success"}', async () => {
    const { client } = await start();
    expect(await client.pull({ model: 'tinyllama' })).toEqual({ status: 'success' });
    expect((await client.list()).models.map((m) => m.name)).toContain('tinyllama:latest');
  });

  it('reports a failed pull as an {"error"} line that the client throws', async () => {
    const { client } = await start({ pull: { failWith: 'pull model manifest: file does not exist' } });
    const seen: string[] = [];
    const err = await (async () => {
      for await (const p of await client.pull({ model: 'no-such-model', stream: true })) seen.push(p.status);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['pulling manifest']);
    expect((err as Error).message).toBe('pull model manifest: file does not exist');
    expect((await client.list()).models.map((m) => m.name)).not.toContain('no-such-model:latest');
  });

  it('deletes a model (200) and answers 404 for one that is not there', async () => {
    const { fake, client } = await start();
    expect(await client.delete({ model: 'llama3.2:3b' })).toEqual({ status: 'success' });
    expect(fake.models.map((m) => m.name)).toEqual(['qwen2.5-coder:7b']);
    const e = await responseError(client.delete({ model: 'llama3.2:3b' }));
    expect(e.status_code).toBe(404);
  });

  it('reports its version and answers / with "Ollama is running"', async () => {
    const { fake, client } = await start({ version: '0.12.9' });
    expect(await client.version()).toEqual({ version: '0.12.9' });
    const root = await fetch(fake.url);
    expect(await root.text()).toBe('Ollama is running');
    expect((await fetch(fake.url, { method: 'HEAD' })).status).toBe(200);
  });

  it('answers every call with 503 while busy', async () => {
    const { fake, client } = await start({ busy: true });
    const e = await responseError(client.list());
    expect(e.status_code).toBe(503);
    expect((await fetch(fake.url)).status).toBe(503);
    fake.setBusy(false);
    expect((await client.list()).models.length).toBe(2);
  });
});
