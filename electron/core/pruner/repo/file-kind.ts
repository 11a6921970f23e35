/** What role a file plays; ranking prefers source over tests, docs and configuration. */
export type FileKind = 'source' | 'test' | 'doc' | 'config' | 'other';

const DOC_EXT = new Set(['md', 'markdown', 'rst', 'txt', 'adoc', 'asciidoc', 'org', 'tex']);
const CONFIG_EXT = new Set(['json', 'jsonc', 'json5', 'yaml', 'yml', 'toml', 'ini', 'cfg', 'conf', 'properties', 'xml', 'plist', 'env', 'editorconfig', 'lock']);
const SOURCE_EXT = new Set(
  (
    'js mjs cjs jsx ts mts cts tsx py pyi go rs java kt kts scala c h cc cpp cxx hpp hh cs rb php swift m mm ' +
    'lua sh bash zsh ps1 pl pm r jl ex exs erl hrl hs ml mli clj cljs dart zig nim vue svelte sql proto graphql css scss less html'
  ).split(' '),
);

const TEST_DIR = /(^|\/)(tests?|testing|__tests__|spec|specs|e2e|fixtures?|__mocks__)\//i;
const TEST_FILE = /(^|\/)(test_[^/]*|[^/]*_test\.[a-z]+|[^/]*\.(test|spec)\.[a-z]+|conftest\.py|[^/]*Tests?\.(java|kt|cs|swift))$/;
const DOC_DIR = /(^|\/)(docs?|documentation|examples?|changelog\.d|changelog)\//i;

export function fileKind(relPath: string): FileKind {
  const name = relPath.slice(relPath.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (TEST_DIR.test(relPath) || TEST_FILE.test(relPath)) return 'test';
  if (DOC_EXT.has(ext) || /^(readme|changelog|changes|license|contributing|authors)/i.test(name)) return 'doc';
  if (DOC_DIR.test(relPath)) return SOURCE_EXT.has(ext) ? 'other' : 'doc';
  if (CONFIG_EXT.has(ext) || name.startsWith('.') || /^(makefile|dockerfile|procfile|gemfile|rakefile)$/i.test(name)) return 'config';
  if (SOURCE_EXT.has(ext)) return 'source';
  return 'other';
}
