import { parentPort } from 'node:worker_threads';
import { extractFacts } from './extract';

export interface ParseRequest {
  id: number;
  path: string;
  source: string;
}

export type ParseReply =
  | { id: number; facts: { parser: 'tree-sitter' | 'lexical'; definitions: import('./facts').Definition[]; references: Array<[string, number]>; imports: import('./facts').Import[] } }
  | { id: number; error: string };

parentPort?.on('message', (req: ParseRequest) => {
  extractFacts(req.path, req.source).then(
    (f) => parentPort?.postMessage({ id: req.id, facts: { ...f, references: [...f.references] } } satisfies ParseReply),
    (e: unknown) => parentPort?.postMessage({ id: req.id, error: String(e) } satisfies ParseReply),
  );
});
