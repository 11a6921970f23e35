import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

function filesUnder(dir: string): string[] {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(abs, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(ts|tsx|mts)$/.test(entry.name) || entry.name.endsWith('.d.ts')) continue;
    const full = path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    if (full.includes(`${path.sep}node_modules${path.sep}`)) continue;
    out.push(full);
  }
  return out;
}

/** Every module specifier a file imports, re-exports or dynamically imports. */
export function importsOf(source: string): string[] {
  const specs: string[] = [];
  const re = /(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of source.matchAll(re)) specs.push((m[1] ?? m[2] ?? m[3]) as string);
  return specs;
}

function resolvesInto(file: string, spec: string, dir: string): boolean {
  if (!spec.startsWith('.')) return false;
  const target = path.resolve(path.dirname(file), spec);
  return target === path.join(root, dir) || target.startsWith(path.join(root, dir) + path.sep);
}

function violations(dir: string, rule: (file: string, spec: string) => string | null): string[] {
  const found: string[] = [];
  for (const file of filesUnder(dir)) {
    for (const spec of importsOf(fs.readFileSync(file, 'utf8'))) {
      const why = rule(file, spec);
      if (why) found.push(`${path.relative(root, file)} imports "${spec}": ${why}`);
    }
  }
  return found;
}

const NODE_BUILTINS = new Set(['fs', 'path', 'os', 'http', 'https', 'net', 'crypto', 'child_process', 'stream', 'url', 'util', 'events', 'worker_threads', 'zlib', 'tls', 'dns', 'readline', 'buffer', 'process', 'assert', 'timers']);

describe('module boundaries', () => {
  it('shared imports nothing from node, electron, the DOM world or other layers', () => {
    expect(
      violations('shared', (file, spec) => {
        if (spec.startsWith('node:') || NODE_BUILTINS.has(spec)) return 'shared must run in any runtime';
        if (spec === 'electron' || spec.startsWith('electron/')) return 'shared must not depend on electron';
        if (spec === 'react' || spec.startsWith('react-') || spec.startsWith('react/')) return 'shared must not depend on UI libraries';
        if (spec.startsWith('.') && !resolvesInto(file, spec, 'shared')) return 'shared may import only shared';
        if (!spec.startsWith('.')) return 'shared takes no dependencies';
        return null;
      }),
    ).toEqual([]);
  });

  it('shared uses no DOM globals', () => {
    const code = (f: string) => fs.readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    const found = filesUnder('shared').filter((f) => /\b(window|document|localStorage|navigator)\./.test(code(f)));
    expect(found.map((f) => path.relative(root, f))).toEqual([]);
  });

  it('electron/core never imports electron and stays out of the shell, preload and renderer', () => {
    expect(
      violations('electron/core', (file, spec) => {
        if (spec === 'electron' || spec.startsWith('electron/')) return 'the core must run headless (sluice serve)';
        for (const dir of ['electron/main', 'electron/preload', 'renderer']) if (resolvesInto(file, spec, dir)) return `the core must not depend on ${dir}`;
        return null;
      }),
    ).toEqual([]);
  });

  it('the renderer imports only shared (and its own files and UI libraries)', () => {
    expect(
      violations('renderer', (file, spec) => {
        if (spec.startsWith('node:') || NODE_BUILTINS.has(spec)) return 'the renderer is sandboxed: no node';
        if (spec === 'electron') return 'the renderer talks to main only through the preload bridge';
        if (spec.startsWith('.') && !resolvesInto(file, spec, 'renderer') && !resolvesInto(file, spec, 'shared')) return 'the renderer may import only shared';
        return null;
      }),
    ).toEqual([]);
  });

  it('the preload imports only electron and shared', () => {
    expect(
      violations('electron/preload', (file, spec) => {
        if (spec.startsWith('.') && !resolvesInto(file, spec, 'electron/preload') && !resolvesInto(file, spec, 'shared')) return 'the preload may import only shared';
        if (!spec.startsWith('.') && spec !== 'electron') return 'the preload runs sandboxed: electron only';
        return null;
      }),
    ).toEqual([]);
  });

  it('the import scanner sees every kind of import (so the rules above can fail)', () => {
    const src = `import a from 'node:fs';\nimport type { B } from '../x';\nexport { c } from "./y";\nconst d = await import('electron');\nimport './side';`;
    expect(importsOf(src)).toEqual(['node:fs', '../x', './y', 'electron', './side']);
  });
});
