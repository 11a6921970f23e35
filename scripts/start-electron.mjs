#!/usr/bin/env node
// `npm start`: build main + preload (and the renderer if it was never built), then run Electron.
// Where Electron's binary was never downloaded, say so in one line and point at `sluice serve`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const MISSING_BINARY =
  "Electron's binary is not installed on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD was set). Run `npx sluice serve` for the same UI in a browser, or reinstall electron on a desktop.";

/** The path the electron package reports, if its binary is really there. */
function electronBinary() {
  try {
    // Under Node, the electron package exports the binary's path, and throws when it was never downloaded.
    const binary = createRequire(path.join(root, 'package.json'))('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) {
  process.stderr.write(MISSING_BINARY + '\n');
  process.exit(1);
}

if (!existsSync(path.join(root, 'dist', 'renderer', 'index.html'))) {
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const built = spawnSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const { buildElectron } = await import('./build-electron.mjs');
await buildElectron({ root });

const env = { ...process.env };
// Set by some shells and tools; it would make Electron behave as plain Node.
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(binary, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
