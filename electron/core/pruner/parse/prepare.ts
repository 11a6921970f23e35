import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileKind } from '../repo/file-kind';
import { classifyContent } from '../repo/skip-rules';
import type { WalkedFile } from '../repo/walk';
import type { ParsedFile } from '../store/file-writer';
import { identifierTerms, pathTerms, textTerms } from '../text/terms';
import { extractFacts } from './extract';
import { languageLabel } from './languages';

/** One file to bring into the index. `knownHash` is the content hash the index already has, if any. */
export interface PrepareRequest {
  root: string;
  file: WalkedFile;
  knownHash: string | null;
}

/**
 * What the index should do with a file: nothing but a new timestamp (same content), report it
 * unreadable, or write everything it now knows about it. All the reading, hashing, parsing and
 * term splitting happens here, so that a worker thread can do it and the indexing thread only writes.
 */
export type Prepared = { kind: 'unchanged' } | { kind: 'unreadable' } | { kind: 'parsed'; file: ParsedFile };

export function contentHash(buf: Buffer): string {
  return crypto.createHash('sha1').update(buf).digest('hex');
}

function countLines(buf: Buffer): number {
  if (buf.length === 0) return 0;
  let lines = 0;
  for (let at = buf.indexOf(10); at !== -1; at = buf.indexOf(10, at + 1)) lines++;
  return buf[buf.length - 1] === 10 ? lines : lines + 1;
}

async function parseContent(f: WalkedFile, buf: Buffer, hash: string): Promise<ParsedFile> {
  const row = { path: f.path, size: f.size, mtimeMs: f.mtimeMs, hash, language: languageLabel(f.path), kind: fileKind(f.path), lines: 0 };
  const contentSkip = classifyContent(buf);
  if (contentSkip) return { row, facts: null, skipReason: contentSkip, terms: null };
  row.lines = countLines(buf);
  const source = buf.toString('utf8');
  const facts = await extractFacts(f.path, source);
  const symbols: string[] = [];
  for (const d of facts.definitions) if (d.kind !== 'heading') symbols.push(...identifierTerms(d.name));
  return {
    row,
    facts,
    skipReason: null,
    terms: { path: pathTerms(f.path).join(' '), symbols: symbols.join(' '), text: textTerms(source).join(' ') },
  };
}

export async function prepareFile(req: PrepareRequest): Promise<Prepared> {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(path.join(req.root, req.file.path));
  } catch {
    return { kind: 'unreadable' };
  }
  const hash = contentHash(buf);
  if (hash === req.knownHash) return { kind: 'unchanged' };
  return { kind: 'parsed', file: await parseContent(req.file, buf, hash) };
}
