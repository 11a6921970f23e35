import type { FileFacts } from './facts';
import { extractLexically } from './extract-lexical';
import { extractWithTreeSitter } from './extract-tree-sitter';
import { grammar } from './grammars';
import { grammarFor, languageLabel } from './languages';

/** Definitions, references and imports of one file: tree-sitter when we have its grammar, else the lexical scan. */
export async function extractFacts(relPath: string, source: string): Promise<FileFacts> {
  const lang = grammarFor(relPath);
  if (lang) {
    try {
      return extractWithTreeSitter(await grammar(lang), source);
    } catch {
      // A grammar that fails to load or parse must not cost the file its place in the index.
    }
  }
  return extractLexically(source, languageLabel(relPath));
}
