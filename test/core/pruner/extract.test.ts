import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../../electron/core/pruner/parse/extract';
import type { FileFacts } from '../../../electron/core/pruner/parse/facts';

const defs = (f: FileFacts): string[] => f.definitions.map((d) => `${d.kind} ${d.name}@${d.line}/${d.depth}`);
const imports = (f: FileFacts): string[] => f.imports.map((i) => i.spec);

describe('extracting definitions, references and imports', () => {
  it('reads TypeScript with the tree-sitter grammar', async () => {
    const f = await extractFacts(
      'src/a.ts',
      [
        "import { helper } from './util';",
        "export * from './types';",
        'export interface Options { depth: number }',
        'export type Id = string;',
        'export enum Mode { A, B }',
        'export class Service {',
        '  run(opts: Options): Id { return helper(opts.depth); }',
        '}',
        'export const make = (x: number) => new Service();',
        "const lazy = require('./lazy');",
      ].join('\n'),
    );
    expect(f.parser).toBe('tree-sitter');
    expect(defs(f)).toEqual(
      expect.arrayContaining(['interface Options@3/0', 'type Id@4/0', 'enum Mode@5/0', 'class Service@6/0', 'method run@7/1', 'function make@9/0']),
    );
    expect(imports(f)).toEqual(['./util', './types', './lazy']);
    expect(f.references.get('helper')).toBe(2);
    expect(f.references.get('Options')).toBe(1);
    expect(f.definitions.find((d) => d.name === 'run')?.signature).toBe('run(opts: Options): Id');
  });

  it('reads JavaScript, including methods assigned to a prototype', async () => {
    const f = await extractFacts(
      'src/plugin.js',
      ["import { MS } from '../constant'", 'export default (o, c) => {', '  const proto = c.prototype', '  proto.utc = function (keep) { return MS }', '}'].join('\n'),
    );
    expect(defs(f)).toContain('method utc@4/0');
    expect(imports(f)).toEqual(['../constant']);
    expect(f.references.get('MS')).toBe(2);
  });

  it('reads Python: classes, methods, module constants and every import form', async () => {
    const f = await extractFacts(
      'pkg/mod.py',
      ['import os.path', 'from . import sibling', 'from .core import Engine as E', 'LIMIT = 10', 'class Runner(Base):', '    def start(self, n):', '        return E(n)', 'def main():', '    Runner().start(LIMIT)'].join('\n'),
    );
    expect(defs(f)).toEqual(['variable LIMIT@4/0', 'class Runner@5/0', 'function start@6/1', 'function main@8/0']);
    expect(imports(f)).toEqual(expect.arrayContaining(['os.path', '.sibling', '.core', '.core.Engine']));
    expect(f.references.get('Runner')).toBe(1);
    expect(f.references.has('self')).toBe(false);
  });

  it('reads Go: functions, methods, types and imports', async () => {
    const f = await extractFacts(
      'cmd/main.go',
      ['package main', 'import (', '  "fmt"', '  "example.com/app/store"', ')', 'type Server struct { db *store.DB }', 'func (s *Server) Start() error { return nil }', 'func main() { fmt.Println(store.Open()) }'].join('\n'),
    );
    expect(defs(f)).toEqual(['type Server@6/0', 'method Start@7/0', 'function main@8/0']);
    expect(imports(f)).toEqual(['fmt', 'example.com/app/store']);
    expect(f.references.get('store')).toBe(2);
  });

  it('reads Rust: items, impls, modules and use declarations', async () => {
    const f = await extractFacts(
      'src/lib.rs',
      ['mod config;', 'use crate::config::Settings;', 'pub struct App { s: Settings }', 'pub trait Run { fn run(&self); }', 'impl Run for App {', '    fn run(&self) {}', '}', 'pub fn start() -> App { todo!() }'].join('\n'),
    );
    expect(defs(f)).toEqual(expect.arrayContaining(['module config@1/0', 'struct App@3/0', 'trait Run@4/0', 'impl App@5/0', 'function run@6/1', 'function start@8/0']));
    expect(imports(f)).toEqual(['mod config', 'crate::config::Settings']);
  });

  it('reads Java: classes, methods, fields and imports', async () => {
    const f = await extractFacts(
      'src/main/java/com/acme/Shop.java',
      ['package com.acme;', 'import java.util.List;', 'import com.acme.model.Item;', 'public class Shop {', '  private List<Item> items;', '  public Shop() {}', '  public int total() { return items.size(); }', '}'].join('\n'),
    );
    expect(defs(f)).toEqual(['class Shop@4/0', 'field items@5/1', 'constructor Shop@6/1', 'method total@7/1']);
    expect(imports(f)).toEqual(['java.util.List', 'com.acme.model.Item']);
    expect(f.references.get('Item')).toBe(2); // the import and the field type
  });

  it('falls back to a lexical scan for other languages, and outlines Markdown by its headings', async () => {
    const rb = await extractFacts('lib/shop.rb', ["require 'json'", 'class Shop', '  def total', '    items.sum', '  end', 'end'].join('\n'));
    expect(rb.parser).toBe('lexical');
    expect(defs(rb)).toEqual(['class Shop@2/0', 'def total@3/0']);
    expect(imports(rb)).toEqual(['json']);
    expect(rb.references.get('items')).toBe(1);
    const md = await extractFacts('docs/guide.md', ['# Guide', '```sh', '# not a heading', '```', '## Install'].join('\n'));
    expect(md.definitions.map((d) => d.name)).toEqual(['Guide', 'Install']);
  });
});
