#!/usr/bin/env node
// `npm start`: build main + preload (and the renderer if it was never built), then run Electron.
// Where Electron's binary was never downloaded, say so in one line and point at `sluice serve`.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const MISSING_BINARY =
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

/**
 * better-sqlite3 in node_modules is built for Node (the CLI and the tests use it); Electron needs
 * its own ABI. So a copy rebuilt for Electron lives in dist-electron/node_modules, which the main
 * bundle (dist-electron/main) finds first. Rebuilt only when Electron or better-sqlite3 changes.
 */
async function electronNativeModules() {
  const dir = path.join(root, 'dist-electron');
  const stampFile = path.join(dir, 'node_modules', '.sluice-natives.json');
  const version = (pkg) => JSON.parse(readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  const want = JSON.stringify({ electron: version('electron'), 'better-sqlite3': version('better-sqlite3'), platform: process.platform, arch: process.arch });
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === want) return;
  rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  const source = path.join(root, 'node_modules', 'better-sqlite3');
  cpSync(source, path.join(dir, 'node_modules', 'better-sqlite3'), {
    recursive: true,
    // Not the Node build: a stale addon there would be found before the rebuilt one.
    filter: (src) => path.relative(source, src).split(path.sep)[0] !== 'build',
  });
  // The nearest package.json decides how dist-electron/main/index.js loads: keep it an ES module.
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module', dependencies: { 'better-sqlite3': version('better-sqlite3') } }));
  process.stdout.write(`Building better-sqlite3 for Electron ${version('electron')} (once)…\n`);
  const { rebuild } = await import('@electron/rebuild');
  try {
    await rebuild({ buildPath: dir, electronVersion: version('electron'), onlyModules: ['better-sqlite3'], force: true });
  } catch (e) {
    process.stderr.write(`Could not build better-sqlite3 for Electron (it needs Electron's headers from electronjs.org, or a prebuilt binary from GitHub): ${e instanceof Error ? e.message : e}\n`);
    process.exit(1);
  }
  writeFileSync(stampFile, want);
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
await electronNativeModules();

const env = { ...process.env };
// Set by some shells and tools; it would make Electron behave as plain Node.
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(binary, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
