#!/usr/bin/env node
// Draws Sluice's icons (a raised sluice gate between two posts, water running under it) and writes
// them as PNGs: `node build/generate-icons.mjs`. No image library: shapes are sampled 8×8 per pixel
// and the PNG is encoded with zlib. The outputs are committed; rerun after changing the drawing.
//   build/tray/TrayIconTemplate(@2x).png  macOS menu bar: black + alpha, tinted by the system
//   build/tray/TrayIcon(@2x).png          Linux/Windows tray: a light glyph for dark panels
//   build/icon.png                        the app icon (1024², electron-builder makes .icns from it)
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

// ── the drawing, in unit coordinates (0..1, y down) ──────────────────────────────────────────
function roundedRect(x, y, x0, y0, x1, y1, r) {
  const cx = Math.max(x0 + r, Math.min(x, x1 - r));
  const cy = Math.max(y0 + r, Math.min(y, y1 - r));
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function wave(x, y, baseY, x0, x1, thickness) {
  if (x < x0 || x > x1) return false;
  const centre = baseY + 0.035 * Math.sin(((x - x0) / (x1 - x0)) * Math.PI * 2);
  return Math.abs(y - centre) <= thickness / 2;
}

function glyph(x, y) {
  return (
    roundedRect(x, y, 0.12, 0.08, 0.22, 0.92, 0.04) || // left post
    roundedRect(x, y, 0.78, 0.08, 0.88, 0.92, 0.04) || // right post
    roundedRect(x, y, 0.3, 0.14, 0.7, 0.5, 0.05) || // the raised gate
    wave(x, y, 0.66, 0.26, 0.74, 0.08) ||
    wave(x, y, 0.82, 0.26, 0.74, 0.08)
  );
}

/** Coverage of `shape` over each pixel of a size×size image, 0..1. */
function coverage(size, shape, inset = 0) {
  const out = new Float64Array(size * size);
  const n = 8;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const u = (px + (sx + 0.5) / n) / size;
          const v = (py + (sy + 0.5) / n) / size;
          const gu = (u - inset) / (1 - 2 * inset);
          const gv = (v - inset) / (1 - 2 * inset);
          if (shape(gu, gv)) hits++;
        }
      }
      out[py * size + px] = hits / (n * n);
    }
  }
  return out;
}

// ── PNG encoding (RGBA, 8 bits) ──────────────────────────────────────────────────────────────
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x, y);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit, RGBA, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function trayIcon(size, rgb) {
  const cov = coverage(size, glyph);
  return png(size, (x, y) => [...rgb, Math.round(cov[y * size + x] * 255)]);
}

function appIcon(size) {
  // macOS icon grid: the tile fills ~80% of the canvas, corners ~22% of the tile.
  const tile = coverage(size, (u, v) => roundedRect(u, v, 0.1, 0.1, 0.9, 0.9, 0.18));
  const mark = coverage(size, glyph, 0.27);
  return png(size, (x, y) => {
    const t = y / size;
    const bg = [Math.round(11 + 9 * t), Math.round(94 + 69 * t), Math.round(153 + 10 * t)];
    const m = mark[y * size + x];
    const rgb = bg.map((c) => Math.round(c * (1 - m) + 255 * m));
    return [...rgb, Math.round(tile[y * size + x] * 255)];
  });
}

const outputs = {
  'tray/TrayIconTemplate.png': () => trayIcon(18, [0, 0, 0]),
  'tray/TrayIconTemplate@2x.png': () => trayIcon(36, [0, 0, 0]),
  'tray/TrayIcon.png': () => trayIcon(24, [240, 240, 240]),
  'tray/TrayIcon@2x.png': () => trayIcon(48, [240, 240, 240]),
  'icon.png': () => appIcon(1024),
};

for (const [name, draw] of Object.entries(outputs)) {
  const file = path.join(here, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, draw());
  console.log(`wrote build/${name}`);
}
