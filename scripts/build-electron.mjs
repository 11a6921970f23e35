#!/usr/bin/env node
// Bundles Electron's main process (ESM, with the core inside), the settle thread's worker, and the
// preload (CommonJS: a sandboxed preload cannot load ES modules and may require only 'electron')
// into dist-electron/.
// Packages in node_modules stay external: electron-builder ships them, native modules included.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Electron 40 runs Node 24 and Chromium 144; these targets are safely below both. */
export async function buildElectron({ root = repoRoot, outDir = path.join(root, 'dist-electron') } = {}) {
  const common = { absWorkingDir: root, bundle: true, logLevel: 'warning', legalComments: 'none' };
  await Promise.all([
    build({
      ...common,
      entryPoints: [path.join(root, 'electron/main/index.ts')],
      outfile: path.join(outDir, 'main/index.js'),
      platform: 'node',
      format: 'esm',
      target: 'node22',
      packages: 'external',
    }),
    // The settle thread's worker (electron/core/budget/settle-thread.ts), beside the main bundle
    // where the main bundle looks for it, as plain JavaScript (the sources' entry loads tsx instead).
    build({
      ...common,
      entryPoints: [path.join(root, 'electron/core/budget/settle-worker-main.ts')],
      outfile: path.join(outDir, 'main/settle-worker.mjs'),
      platform: 'node',
      format: 'esm',
      target: 'node22',
      packages: 'external',
    }),
    build({
      ...common,
      entryPoints: [path.join(root, 'electron/preload/index.ts')],
      outfile: path.join(outDir, 'preload/index.cjs'),
      platform: 'browser',
      format: 'cjs',
      target: 'chrome130',
      external: ['electron'],
    }),
  ]);
  return { main: path.join(outDir, 'main/index.js'), preload: path.join(outDir, 'preload/index.cjs') };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ? path.resolve(process.argv[2]) : undefined;
  const built = await buildElectron(out ? { outDir: out } : {});
  console.log(`built ${path.relative(process.cwd(), built.main)} and ${path.relative(process.cwd(), built.preload)}`);
}
