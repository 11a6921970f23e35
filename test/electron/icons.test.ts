import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const build = path.resolve(__dirname, '..', '..', 'build');

/** Reads an 8-bit RGBA, non-interlaced PNG with filter type 0 (what build/generate-icons.mjs writes). */
function readPng(file: string): { width: number; height: number; pixels: Uint8Array[] } {
  const buf = fs.readFileSync(file);
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < buf.length; ) {
    const len = buf.readUInt32BE(at);
    const type = buf.toString('ascii', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([...data.subarray(8, 13)]).toEqual([8, 6, 0, 0, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const pixels: Uint8Array[] = [];
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    for (let x = 0; x < width; x++) pixels.push(raw.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 5 + x * 4));
  }
  return { width, height, pixels };
}

describe('icons', () => {
  it.each([
    ['tray/TrayIconTemplate.png', 18],
    ['tray/TrayIconTemplate@2x.png', 36],
  ])('%s is a macOS template image: pure black, shape in the alpha channel', (name, size) => {
    const png = readPng(path.join(build, name));
    expect([png.width, png.height]).toEqual([size, size]);
    expect(png.pixels.every((p) => p[0] === 0 && p[1] === 0 && p[2] === 0)).toBe(true);
    const opaque = png.pixels.filter((p) => p[3]! > 128).length;
    expect(opaque / png.pixels.length).toBeGreaterThan(0.2);
    expect(opaque / png.pixels.length).toBeLessThan(0.8);
  });

  it('gives other desktops a light tray glyph that shows on dark panels', () => {
    const png = readPng(path.join(build, 'tray/TrayIcon.png'));
    const visible = png.pixels.filter((p) => p[3]! > 0);
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.every((p) => p[0]! > 200 && p[1]! > 200 && p[2]! > 200)).toBe(true);
  });

  it('has a 1024² app icon with transparent corners, as electron-builder needs for .icns', () => {
    const png = readPng(path.join(build, 'icon.png'));
    expect([png.width, png.height]).toEqual([1024, 1024]);
    expect(png.pixels[0]![3]).toBe(0);
    expect(png.pixels[512 * 1024 + 512]![3]).toBe(255);
  });
});
