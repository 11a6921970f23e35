/** What the index keeps about one file's code. */
export interface Definition {
  name: string;
  /** function, method, class, interface, type, enum, variable, module, heading, … */
  kind: string;
  /** 1-based, inclusive. */
  line: number;
  endLine: number;
  /** The declaration up to its body, on one line, for outlines. */
  signature: string;
  /** Nesting depth: 0 top level, 1 inside a class, … */
  depth: number;
}

export interface Import {
  /** As written: './utils', '_pytest.nodes', 'github.com/x/y', 'crate::a::b'. */
  spec: string;
  line: number;
}

export interface FileFacts {
  parser: 'tree-sitter' | 'lexical';
  definitions: Definition[];
  /** Identifier → occurrences, excluding the names being defined at their definition site. */
  references: Map<string, number>;
  imports: Import[];
}
