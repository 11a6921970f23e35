import { describe, expect, it } from 'vitest';
import { OllamaModelError, OllamaUnavailableError, classifyOllamaError } from '../../../../electron/core/providers/ollama/errors';

const host = 'http://127.0.0.1:11434';

/** ollama-js's ResponseError, which the package does not export. */
function responseError(message: string, status: number): Error {
  return Object.assign(new Error(message), { name: 'ResponseError', status_code: status });
}

describe('classifyOllamaError', () => {
  it('calls a refused or unresolvable connection unavailable, reading the cause chain', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:11434'), { code: 'ECONNREFUSED' }) });
    const e = classifyOllamaError(refused, host);
    expect(e).toBeInstanceOf(OllamaUnavailableError);
    expect(e.message).toBe('Ollama is not reachable at http://127.0.0.1:11434 (ECONNREFUSED)');
    const cut = new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    expect(classifyOllamaError(cut, host)).toBeInstanceOf(OllamaUnavailableError);
  });

  it('calls 503 (queue full) unavailable and other statuses model errors with their status', () => {
    expect(classifyOllamaError(responseError('server busy, please try again.', 503), host)).toBeInstanceOf(OllamaUnavailableError);
    const notFound = classifyOllamaError(responseError('model "x" not found, try pulling it first', 404), host);
    expect(notFound).toBeInstanceOf(OllamaModelError);
    expect(notFound).toMatchObject({ status: 404, message: 'model "x" not found, try pulling it first' });
  });

  it('calls a stream that ended without done unavailable, and an error line inside a stream a 500', () => {
    expect(classifyOllamaError(new Error('Did not receive done or success response in stream.'), host)).toBeInstanceOf(OllamaUnavailableError);
    expect(classifyOllamaError(new Error('llama runner process has terminated: exit status 2'), host)).toMatchObject({ name: 'OllamaModelError', status: 500 });
  });

  it('passes aborts through untouched, so a cancelled request is not mistaken for an outage', () => {
    const abort = new DOMException('This operation was aborted', 'AbortError');
    expect(classifyOllamaError(abort, host)).toBe(abort);
  });
});
