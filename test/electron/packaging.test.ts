import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import type { Configuration } from 'app-builder-lib';
import { DebugLogger } from 'builder-util/out/DebugLogger';

const repo = path.resolve(__dirname, '..', '..');
const CONFIG = path.join(repo, 'electron-builder.yml');

let tmp: string;
let config: Configuration;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-pack-'));
  config = await getConfig(repo, CONFIG, null);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

describe('the electron-builder configuration', () => {
  it('passes electron-builder own schema', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('is checked strictly enough that a misspelt option fails', async () => {
    const broken = { ...config, mac: { ...config.mac, hardenedRuntme: true } } as Configuration;
    await expect(validateConfiguration(broken, new DebugLogger(false))).rejects.toThrow(/configuration\.mac/);
  });

  it('names the app and ships macOS as dmg and zip for Apple silicon and Intel, with no Dock icon', () => {
    expect(config.appId).toBe('dev.sluice.app');
    expect(config.productName).toBe('Sluice');
    expect(list(config.mac?.target)).toEqual([
      { target: 'dmg', arch: ['arm64', 'x64'] },
      { target: 'zip', arch: ['arm64', 'x64'] },
    ]);
    expect(config.mac?.extendInfo).toMatchObject({ LSUIElement: true });
    expect(config.mac?.hardenedRuntime).toBe(true);
  });

  it('signs with entitlements that exist and let V8 JIT', () => {
    for (const file of [config.mac?.entitlements, config.mac?.entitlementsInherit]) {
      expect(typeof file).toBe('string');
      const plist = fs.readFileSync(path.join(repo, String(file)), 'utf8');
      expect(plist).toContain('<key>com.apple.security.cs.allow-jit</key>');
      expect(plist).not.toContain('com.apple.security.app-sandbox');
    }
  });

  it('ships Linux as AppImage and deb', () => {
    expect(list(config.linux?.target)).toEqual(['AppImage', 'deb']);
    expect(config.linux?.maintainer).toMatch(/<.+@.+>/);
  });

  it("flips Electron's fuses so the signed app cannot be used as a Node runtime or load code from outside its asar", () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it('unpacks native code from the asar: the SQLite addon and the claude executables', () => {
    expect(list(config.asarUnpack)).toEqual(['node_modules/better-sqlite3/**/*.node', 'node_modules/@anthropic-ai/claude-agent-sdk-*/**']);
  });
});

/**
 * An unpacked Linux app built offline from a stand-in Electron distribution. The app's own files
 * (dist-electron, the renderer) are built into a temporary folder and mapped to where the config
 * puts them, so the result does not depend on what this checkout has built; everything else
 * (dependencies, exclusions, asar, unpacking, resources) comes from electron-builder.yml as is.
 */
describe('an unpacked app built with a stub Electron', () => {
  let out: string;
  let asarFile: string;
  let entries: string[];

  beforeAll(() => {
    const app = path.join(tmp, 'app');
    const built = spawnSync(process.execPath, [path.join(repo, 'scripts', 'build-electron.mjs'), path.join(app, 'dist-electron')], { cwd: repo, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    fs.mkdirSync(path.join(app, 'renderer', 'assets'), { recursive: true });
    fs.writeFileSync(path.join(app, 'renderer', 'index.html'), '<!doctype html><script type="module" src="./assets/index.js"></script>');
    fs.writeFileSync(path.join(app, 'renderer', 'assets', 'index.js'), 'console.log("sluice")');
    fs.writeFileSync(path.join(app, 'renderer', 'assets', 'index.js.map'), '{}');

    const electronDist = path.join(tmp, 'electron-dist');
    fs.mkdirSync(electronDist);
    fs.writeFileSync(path.join(electronDist, 'electron'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    fs.writeFileSync(path.join(electronDist, 'version'), '40.8.5');

    out = path.join(tmp, 'release');
    const fileFilters = list(config.files).flatMap((f) => (typeof f === 'object' && f !== null && 'filter' in f ? list((f as { filter: unknown }).filter) : [f]));
    // Fuses are flipped inside the real Electron binary; the stand-in has none to flip.
    const { electronFuses: _fuses, ...withoutFuses } = config;
    const ciConfig: Configuration = {
      ...withoutFuses,
      directories: { ...config.directories, output: out },
      files: [
        ...fileFilters.filter((f): f is string => typeof f === 'string' && !/^(dist-electron|dist\/renderer)\//.test(f)),
        { from: path.join(app, 'dist-electron'), to: 'dist-electron', filter: ['**/*', '!**/*.map'] },
        { from: path.join(app, 'renderer'), to: 'dist/renderer', filter: ['**/*', '!**/*.map'] },
      ],
    };
    const ciConfigFile = path.join(tmp, 'electron-builder.ci.json');
    fs.writeFileSync(ciConfigFile, JSON.stringify(ciConfig));

    const cli = path.join(repo, 'node_modules', 'electron-builder', 'cli.js');
    const run = spawnSync(
      process.execPath,
      [cli, '--projectDir', repo, '--config', ciConfigFile, '--dir', '--linux', '--x64', `-c.electronDist=${electronDist}`, '-c.npmRebuild=false', '--publish', 'never'],
      { cwd: repo, encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 170_000 },
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    asarFile = path.join(out, 'linux-unpacked', 'resources', 'app.asar');
    entries = listPackage(asarFile, { isPack: false });
  }, 180_000);

  it('lays out the app: the executable named sluice, the asar, the tray icons beside it', () => {
    const dir = path.join(out, 'linux-unpacked');
    expect(fs.statSync(path.join(dir, 'sluice')).mode & 0o111).not.toBe(0);
    expect(fs.existsSync(asarFile)).toBe(true);
    expect(fs.readdirSync(path.join(dir, 'resources', 'tray')).sort()).toEqual(['TrayIcon.png', 'TrayIcon@2x.png', 'TrayIconTemplate.png', 'TrayIconTemplate@2x.png']);
  });

  it("packs the app's own files, and its entry point is the bundled main", () => {
    for (const f of ['/package.json', '/dist-electron/main/index.js', '/dist-electron/main/settle-worker.mjs', '/dist-electron/preload/index.cjs', '/dist/renderer/index.html', '/dist/renderer/assets/index.js']) expect(entries).toContain(f);
    const pkg = JSON.parse(extractFile(asarFile, 'package.json').toString('utf8')) as { main: string; type: string };
    expect(pkg.main).toBe('dist-electron/main/index.js');
    expect(pkg.type).toBe('module');
    expect(entries).toContain(`/${pkg.main}`);
  });

  it('ships a preload that requires nothing but electron (a sandboxed preload can load nothing else)', () => {
    const preload = extractFile(asarFile, 'dist-electron/preload/index.cjs').toString('utf8');
    expect([...preload.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(preload).toContain('exposeInMainWorld("sluice"');
    expect(preload).not.toMatch(/^\s*(import|export)\s/m);
  });

  it('leaves sources, tests, source maps and build tools out', () => {
    const top = new Set(entries.map((e) => e.split('/')[1]));
    expect([...top].sort()).toEqual(['dist', 'dist-electron', 'node_modules', 'package.json']);
    expect(entries.filter((e) => e.endsWith('.map') && !e.startsWith('/node_modules/'))).toEqual([]);
    for (const pkg of ['tsx', 'esbuild', 'electron', 'vite', 'vitest', 'typescript', 'electron-builder', 'react']) expect(entries).not.toContain(`/node_modules/${pkg}`);
  });

  it('brings the runtime dependencies, transitive ones included', () => {
    for (const pkg of ['better-sqlite3', 'bindings', 'file-uri-to-path', 'ws', 'ollama', '@anthropic-ai/sdk', '@anthropic-ai/claude-agent-sdk', 'tree-sitter-wasms', 'web-tree-sitter']) {
      expect(entries).toContain(`/node_modules/${pkg}/package.json`);
    }
  });

  it("unpacks better-sqlite3's addon so it can be loaded, without its C sources", () => {
    const addon = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    expect(statFile(asarFile, addon)).toMatchObject({ unpacked: true });
    expect(fs.existsSync(path.join(`${asarFile}.unpacked`, addon))).toBe(true);
    expect(entries.some((e) => e.startsWith('/node_modules/better-sqlite3/src/') || e.startsWith('/node_modules/better-sqlite3/deps/'))).toBe(false);
  });

  it('unpacks the claude executable the agent runner spawns, still executable', () => {
    const installed = fs.readdirSync(path.join(repo, 'node_modules', '@anthropic-ai')).filter((d) => d.startsWith('claude-agent-sdk-'));
    expect(installed.length).toBeGreaterThan(0);
    for (const pkg of installed) {
      const bin = path.join(`${asarFile}.unpacked`, 'node_modules', '@anthropic-ai', pkg, 'claude');
      expect(fs.statSync(bin).mode & 0o111).not.toBe(0);
      expect(statFile(asarFile, `node_modules/@anthropic-ai/${pkg}/claude`)).toMatchObject({ unpacked: true });
    }
  });
});
