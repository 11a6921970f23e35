import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(__dirname, '..', '..');
const ONE_LINE =
  "Electron's binary is not installed on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD was set). Run `npx sluice serve` for the same UI in a browser, or reinstall electron on a desktop.\n";

let root: string;

/**
 * A copy of the project's start script next to the real electron npm package (its index.js and
 * package.json, without the downloaded binary): exactly what `npm install` leaves behind when
 * ELECTRON_SKIP_BINARY_DOWNLOAD is set, whatever this machine has installed.
 */
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-start-'));
  fs.mkdirSync(path.join(root, 'scripts'));
  for (const f of ['start-electron.mjs', 'build-electron.mjs']) fs.copyFileSync(path.join(repo, 'scripts', f), path.join(root, 'scripts', f));
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'sluice', type: 'module', main: 'dist-electron/main/index.js' }));
  const electronPkg = path.join(root, 'node_modules', 'electron');
  fs.mkdirSync(electronPkg, { recursive: true });
  for (const f of ['index.js', 'package.json']) fs.copyFileSync(path.join(repo, 'node_modules', 'electron', f), path.join(electronPkg, f));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function start(env: Record<string, string | undefined> = {}) {
  const clean = { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: undefined, ...env };
  return spawnSync(process.execPath, [path.join(root, 'scripts', 'start-electron.mjs')], { cwd: root, encoding: 'utf8', env: clean, timeout: 60_000 });
}

describe('npm start', () => {
  it('prints one clear line and exits 1 where the Electron binary was never downloaded', () => {
    const run = start();
    expect(run.stderr).toBe(ONE_LINE);
    expect(run.stdout).toBe('');
    expect(run.status).toBe(1);
  });

  it('says the same when the package points at a binary that is not there', () => {
    fs.writeFileSync(path.join(root, 'node_modules', 'electron', 'path.txt'), 'electron');
    try {
      const run = start();
      expect(run.stderr).toBe(ONE_LINE);
      expect(run.status).toBe(1);
    } finally {
      fs.rmSync(path.join(root, 'node_modules', 'electron', 'path.txt'));
    }
  });

  it('builds main and preload, then runs Electron on the project and passes its exit code on', () => {
    // The real sources and packages, a stub renderer, and a stand-in Electron that reports how it was run.
    for (const dir of ['electron', 'shared']) fs.symlinkSync(path.join(repo, dir), path.join(root, dir));
    for (const entry of fs.readdirSync(path.join(repo, 'node_modules'))) {
      if (entry !== 'electron' && entry !== '.bin') fs.symlinkSync(path.join(repo, 'node_modules', entry), path.join(root, 'node_modules', entry));
    }
    fs.mkdirSync(path.join(root, 'dist', 'renderer'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist', 'renderer', 'index.html'), '<!doctype html><title>Sluice</title>');
    const dist = path.join(root, 'fake-electron');
    fs.mkdirSync(dist);
    fs.writeFileSync(path.join(dist, 'electron'), '#!/bin/sh\necho "electron $* in $(pwd) as-node=${ELECTRON_RUN_AS_NODE:-unset}"\nexit 3\n', { mode: 0o755 });

    // As left by an earlier start: better-sqlite3 already rebuilt for this Electron (that step
    // downloads Electron's headers, which this offline machine cannot).
    const version = (pkg: string) => (JSON.parse(fs.readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
    fs.mkdirSync(path.join(root, 'dist-electron', 'node_modules'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'dist-electron', 'node_modules', '.sluice-natives.json'),
      JSON.stringify({ electron: version('electron'), 'better-sqlite3': version('better-sqlite3'), platform: process.platform, arch: process.arch }),
    );

    const run = start({ ELECTRON_OVERRIDE_DIST_PATH: dist, ELECTRON_RUN_AS_NODE: '1' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(`electron . in ${fs.realpathSync(root)} as-node=unset`);
    expect(run.status).toBe(3);
    expect(fs.existsSync(path.join(root, 'dist-electron', 'main', 'index.js'))).toBe(true);
    expect(fs.existsSync(path.join(root, 'dist-electron', 'preload', 'index.cjs'))).toBe(true);
  });
});
