import type { Node, QueryCapture } from 'web-tree-sitter';
import type { Definition, FileFacts, Import } from './facts';
import type { LoadedGrammar } from './grammars';
import { nestDefinitions, oneLineSignature } from './signature';

/** Names that are everywhere and point nowhere. */
const NOISE_REFS = new Set(['self', 'cls', 'this', 'super', 'undefined', 'null', 'true', 'false', 'None', 'True', 'False']);

function unquote(text: string): string {
  return text.replace(/^[`'"]+|[`'"]+$/g, '');
}

/** Where a declaration's body starts, looking one level into `value`/`right` for `x = function () {…}`. */
function bodyStart(node: Node): number | null {
  const own = node.childForFieldName('body');
  if (own) return own.startIndex;
  for (const field of ['value', 'right', 'declarator']) {
    const inner = node.childForFieldName(field)?.childForFieldName('body');
    if (inner) return inner.startIndex;
  }
  return null;
}

function pythonFromImport(member: Node): string | null {
  let stmt: Node | null = member.parent;
  while (stmt && stmt.type !== 'import_from_statement') stmt = stmt.parent;
  const mod = stmt?.childForFieldName('module_name');
  if (!mod) return null;
  const base = mod.text;
  return base.endsWith('.') ? `${base}${member.text}` : `${base}.${member.text}`;
}

function collectImport(captures: readonly QueryCapture[], into: Import[]): void {
  const fn = captures.find((c) => c.name === 'fn');
  if (fn && fn.node.text !== 'require') return;
  for (const c of captures) {
    let spec: string | null = null;
    if (c.name === 'import') spec = unquote(c.node.text);
    else if (c.name === 'import.member') spec = pythonFromImport(c.node);
    else if (c.name === 'import.mod') spec = `mod ${c.node.text}`;
    if (spec) into.push({ spec, line: c.node.startPosition.row + 1 });
  }
}

export function extractWithTreeSitter(g: LoadedGrammar, source: string): FileFacts {
  const tree = g.parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    const root = tree.rootNode;
    const definitions: Definition[] = [];
    const byNameNode = new Map<number, number>();
    const imports: Import[] = [];
    // References come out of the same walk as definitions; they are filtered once all definitions are known.
    const refs: Node[] = [];
    for (const m of g.query.matches(root)) {
      const first = m.captures[0];
      if (first?.name === 'ref' && m.captures.length === 1) {
        refs.push(first.node);
        continue;
      }
      if (m.captures.some((c) => c.name.startsWith('import') || c.name === 'package')) {
        collectImport(m.captures, imports);
        continue;
      }
      const def = m.captures.find((c) => c.name.startsWith('def.'));
      const name = m.captures.find((c) => c.name === 'name');
      if (!def || !name) continue;
      const kind = def.name.slice(4);
      const key = name.node.startIndex;
      const seen = byNameNode.get(key);
      // `const f = () => …` matches as a variable and as a function: keep the specific kind.
      if (seen !== undefined) {
        const prev = definitions[seen] as Definition;
        if (prev.kind === 'variable' && kind !== 'variable') prev.kind = kind;
        continue;
      }
      const n = def.node;
      byNameNode.set(key, definitions.length);
      definitions.push({
        name: name.node.text.replace(/<[\s\S]*$/, '').trim(),
        kind,
        line: n.startPosition.row + 1,
        endLine: n.endPosition.row + 1,
        signature: oneLineSignature(source, n.startIndex, bodyStart(n) ?? -1),
        depth: 0,
      });
    }

    const references = new Map<string, number>();
    for (const node of refs) {
      if (byNameNode.has(node.startIndex)) continue;
      const text = node.text;
      if (text.length < 2 || NOISE_REFS.has(text)) continue;
      references.set(text, (references.get(text) ?? 0) + 1);
    }

    return { parser: 'tree-sitter', definitions: nestDefinitions(definitions), references, imports };
  } finally {
    tree.delete();
  }
}
