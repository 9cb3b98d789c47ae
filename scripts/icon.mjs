#!/usr/bin/env node
/**
 * Draws the extension icon, media/icon.png (128x128 RGBA): a diff page (a
 * context line, a removed line in red, added lines in green) under a lens.
 * Written as a PNG by hand (zlib from Node), so the icon is reproducible
 * from this file with no image tool installed:
 *
 *   node scripts/icon.mjs [out.png]
 *
 * Every pixel is the mean of 4x4 samples, which smooths the edges.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SS = 4;
const out = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../media/icon.png');

const BG = [30, 41, 59, 255];
const PAGE = [241, 245, 249, 255];
const CONTEXT = [148, 163, 184, 255];
const REMOVED = [220, 38, 38, 255];
const ADDED = [22, 163, 74, 255];
const LENS = [250, 204, 21, 255];
const GLASS = [250, 204, 21, 60];

const inRoundRect = (x, y, x0, y0, x1, y1, r) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
/** Distance from (x, y) to the segment (ax, ay)-(bx, by). */
const segDist = (x, y, ax, ay, bx, by) => {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy);
};

/** Colour of one sample: the layers from the bottom up, each painted over the last. */
function sample(x, y) {
  let c = [0, 0, 0, 0];
  const over = (top) => {
    const a = top[3] / 255;
    const b = c[3] / 255;
    const outA = a + b * (1 - a);
    if (outA === 0) return;
    c = [0, 1, 2].map((i) => (top[i] * a + c[i] * b * (1 - a)) / outA).concat(outA * 255);
  };
  if (inRoundRect(x, y, 4, 4, 124, 124, 22)) over(BG);
  if (inRoundRect(x, y, 20, 18, 92, 110, 6)) over(PAGE);
  const bars = [[30, CONTEXT, 62], [44, REMOVED, 70], [58, ADDED, 74], [72, ADDED, 66], [86, CONTEXT, 56]];
  for (const [top, colour, right] of bars) if (inRoundRect(x, y, 28, top, right, top + 7, 3)) over(colour);
  const lx = 78;
  const ly = 72;
  const d = Math.hypot(x - lx, y - ly);
  if (d <= 22) over(GLASS);
  if (d >= 22 && d <= 29) over(LENS);
  if (segDist(x, y, 98, 92, 114, 108) <= 7) over(LENS);
  return c;
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let py = 0; py < SIZE; py++) {
  raw[py * (SIZE * 4 + 1)] = 0; // filter: none
  for (let px = 0; px < SIZE; px++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = sample(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
        // Premultiplied sum, so transparent samples add no colour.
        for (let i = 0; i < 3; i++) acc[i] += c[i] * c[3];
        acc[3] += c[3];
      }
    }
    const o = py * (SIZE * 4 + 1) + 1 + px * 4;
    for (let i = 0; i < 3; i++) raw[o + i] = acc[3] ? Math.round(acc[i] / acc[3]) : 0;
    raw[o + 3] = Math.round(acc[3] / (SS * SS));
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(out, png);
console.log(`${out}: ${SIZE}x${SIZE}, ${png.length} bytes`);
