/** Languages with a real grammar. Everything else gets the lexical scan. */
export type GrammarLanguage = 'javascript' | 'typescript' | 'tsx' | 'python' | 'go' | 'rust' | 'java';

const BY_EXTENSION: Record<string, GrammarLanguage> = {
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript',
  ts: 'typescript', mts: 'typescript', cts: 'typescript',
  tsx: 'tsx',
  py: 'python', pyi: 'python',
  go: 'go',
  rs: 'rust',
  java: 'java',
};

/** Loose language label for every file (grammar or not), shown in fences and stored in the index. */
const LABELS: Record<string, string> = {
  c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp', cs: 'csharp', rb: 'ruby', php: 'php',
  swift: 'swift', kt: 'kotlin', kts: 'kotlin', scala: 'scala', sh: 'bash', bash: 'bash', zsh: 'bash', lua: 'lua',
  md: 'markdown', markdown: 'markdown', rst: 'rst', txt: 'text', json: 'json', yaml: 'yaml', yml: 'yaml', toml: 'toml',
  ini: 'ini', cfg: 'ini', html: 'html', css: 'css', scss: 'scss', vue: 'vue', svelte: 'svelte', sql: 'sql',
  xml: 'xml', ex: 'elixir', exs: 'elixir', erl: 'erlang', hs: 'haskell', ml: 'ocaml', clj: 'clojure', dart: 'dart',
  zig: 'zig', r: 'r', pl: 'perl', m: 'objc', proto: 'protobuf', graphql: 'graphql', tf: 'hcl',
};

function extensionOf(relPath: string): string {
  const name = relPath.slice(relPath.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function grammarFor(relPath: string): GrammarLanguage | null {
  return BY_EXTENSION[extensionOf(relPath)] ?? null;
}

export function languageLabel(relPath: string): string {
  const ext = extensionOf(relPath);
  return BY_EXTENSION[ext] ?? LABELS[ext] ?? '';
}
