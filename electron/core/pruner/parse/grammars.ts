import { createRequire } from 'node:module';
import path from 'node:path';
import { Language, Parser, Query } from 'web-tree-sitter';
import type { GrammarLanguage } from './languages';
import { queriesFor } from './queries';

export interface LoadedGrammar {
  parser: Parser;
  /** Definitions, imports and references in one query: each query is a full walk of the tree. */
  query: Query;
}

let runtime: Promise<void> | undefined;
const loaded = new Map<GrammarLanguage, Promise<LoadedGrammar>>();

const WASM_FILES: Record<GrammarLanguage, string> = {
  javascript: 'tree-sitter-javascript.wasm',
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  python: 'tree-sitter-python.wasm',
  go: 'tree-sitter-go.wasm',
  rust: 'tree-sitter-rust.wasm',
  java: 'tree-sitter-java.wasm',
};

/** Prebuilt grammars (ABI 14, which web-tree-sitter 0.25 loads) from the tree-sitter-wasms package. */
export function grammarDirectory(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('tree-sitter-wasms/package.json')), 'out');
}

async function load(lang: GrammarLanguage): Promise<LoadedGrammar> {
  runtime ??= Parser.init();
  await runtime;
  const language = await Language.load(path.join(grammarDirectory(), WASM_FILES[lang]));
  const parser = new Parser();
  parser.setLanguage(language);
  const q = queriesFor(lang);
  return { parser, query: new Query(language, q.definitions + q.imports + q.references) };
}

/** One parser per grammar for the life of the process; grammars load on first use. */
export function grammar(lang: GrammarLanguage): Promise<LoadedGrammar> {
  let p = loaded.get(lang);
  if (!p) {
    p = load(lang);
    loaded.set(lang, p);
    // A failed load (a missing .wasm) must not be cached forever.
    p.catch(() => loaded.delete(lang));
  }
  return p;
}
