// The encoder's SSE, read by the real @anthropic-ai/sdk stream accumulator: what Claude Code and
// every SDK user will see when a request is served by a local model.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import type { ChatResponse } from 'ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnthropicSseEncoder, ollamaToAnthropic } from '../../../../electron/core/providers/ollama/translate';
import { chunk, done, toolChunk } from './chunks';

let server: Server;
let baseURL = '';
/** What the next request is answered with: SSE text, or a JSON body. */
let reply: { sse: string } | { json: unknown } = { sse: '' };

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if ('sse' in reply) {
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
        res.end(reply.sse);
      } else {
        const body = JSON.stringify(reply.json);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const client = () => new Anthropic({ baseURL, apiKey: 'x', maxRetries: 0 });
const params = { model: 'local', max_tokens: 256, messages: [{ role: 'user' as const, content: 'go' }] };

/** Streams `chunks` through the encoder and reads them back with the SDK. */
async function viaSdk(id: string, chunks: ChatResponse[]) {
  const enc = new AnthropicSseEncoder({ id, model: 'llama3.2:3b', inputTokensEstimate: 99 });
  let sse = enc.start();
  for (const c of chunks) sse += enc.push(c);
  reply = { sse };
  const final = await client().messages.stream(params).finalMessage();
  // The SDK adds its structured-output helper's field; it is not part of the wire message.
  const { parsed_output: _parsed, ...message } = final;
  return message;
}

/** The same chunks merged the way Ollama's non-streaming answer would carry them. */
function whole(chunks: ChatResponse[]): ChatResponse {
  const last = chunks[chunks.length - 1];
  if (!last) throw new Error('no chunks');
  const content = chunks.map((c) => c.message.content).join('');
  const tool_calls = chunks.flatMap((c) => c.message.tool_calls ?? []);
  return { ...last, message: { role: 'assistant', content, ...(tool_calls.length ? { tool_calls } : {}) } };
}

describe('AnthropicSseEncoder read by @anthropic-ai/sdk', () => {
  it('gives the same final message as the JSON translation for a text answer', async () => {
    const chunks = [chunk('The sky '), chunk('is blue '), chunk('because of Rayleigh scattering.'), done({ prompt: 26, output: 9 })];
    const final = await viaSdk('msg_sluice_text', chunks);
    expect(final).toEqual(ollamaToAnthropic(whole(chunks), { id: 'msg_sluice_text', model: 'llama3.2:3b' }));
    expect(final.usage.input_tokens).toBe(26);
  });

  it('reassembles tool_use input from input_json_delta, with ids matching the JSON translation', async () => {
    const edit = {
      file_path: '/repo/src/ünïcode 😀.ts',
      old_string: 'const a = 1;\n'.repeat(20),
      new_string: 'const a = 2;\n'.repeat(20),
      replace_all: false,
      nested: { list: [1, 2, { deep: null }] },
    };
    const chunks = [
      chunk('I will edit the file.'),
      toolChunk({ name: 'Edit', arguments: edit }),
      toolChunk({ name: 'Bash', arguments: { command: 'npm test' } }),
      done({ prompt: 1200, output: 180 }),
    ];
    const final = await viaSdk('msg_sluice_tools', chunks);
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content.map((b) => b.type)).toEqual(['text', 'tool_use', 'tool_use']);
    const tool = final.content[1];
    expect(tool?.type === 'tool_use' ? tool.input : null).toEqual(edit);
    expect(final).toEqual(ollamaToAnthropic(whole(chunks), { id: 'msg_sluice_tools', model: 'llama3.2:3b' }));
  });

  it('reads a JSON translation with messages.create as a Message', async () => {
    const msg = ollamaToAnthropic(done({ prompt: 5, output: 2 }, { content: '', tool_calls: [{ function: { name: 'Read', arguments: { path: 'a' } } }] }), {
      id: 'msg_sluice_json',
      model: 'llama3.2:3b',
    });
    reply = { json: msg };
    const got = await client().messages.create(params);
    expect(got).toEqual(msg);
  });

  it('surfaces an error event as an API error carrying its message', async () => {
    const enc = new AnthropicSseEncoder({ id: 'msg_sluice_err', model: 'llama3.2:3b', inputTokensEstimate: 1 });
    reply = { sse: enc.start() + enc.push(chunk('half')) + enc.error('api_error', 'Sluice: the local model stopped.') };
    await expect(client().messages.stream(params).finalMessage()).rejects.toThrow(/the local model stopped/);
  });
});
