// Draws the extension's 128x128 marketplace icon (media/icon.png) without any image library:
// a rounded teal square, a white funnel of stacked records, and a check mark in a green badge.
// `node scripts/generate-icon.mjs [out.png]`. Deterministic: the same bytes every run.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4; // 4x4 supersampling per pixel for smooth edges

const inRoundedRect = (x, y, x0, y0, x1, y1, r) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};

const inPolygon = (x, y, points) => {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
};

const distanceToSegment = (x, y, [x0, y0], [x1, y1]) => {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const t = Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (x0 + t * dx), y - (y0 + t * dy));
};

const funnel = [[22, 26], [106, 26], [72, 66], [72, 98], [56, 108], [56, 66]];
const recordLines = [[[30, 14], [98, 14]], [[38, 20], [90, 20]]];
const badge = { x: 96, y: 96, r: 22 };
const check = [[85, 96], [93, 104], [108, 88]];

/** Colour (RGBA, 0..255) of one sample point, layers painted back to front. */
function sample(x, y) {
  if (!inRoundedRect(x, y, 4, 4, 124, 124, 22)) return [0, 0, 0, 0];
  const t = (x + y) / (2 * SIZE);
  let colour = [Math.round(18 + 20 * t), Math.round(96 + 30 * t), Math.round(120 + 20 * t), 255];
  if (recordLines.some(([a, b]) => distanceToSegment(x, y, a, b) <= 2.6)) colour = [205, 232, 238, 255];
  if (inPolygon(x, y, funnel)) colour = [255, 255, 255, 255];
  const d = Math.hypot(x - badge.x, y - badge.y);
  if (d <= badge.r + 3) colour = [18, 96, 120, 255];
  if (d <= badge.r) colour = [46, 160, 67, 255];
  if (d <= badge.r && (distanceToSegment(x, y, check[0], check[1]) <= 3.6 || distanceToSegment(x, y, check[1], check[2]) <= 3.6)) {
    colour = [255, 255, 255, 255];
  }
  return colour;
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let py = 0; py < SIZE; py++) {
  raw[py * (SIZE * 4 + 1)] = 0; // filter: none
  for (let px = 0; px < SIZE; px++) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const [r, g, b, a] = sample(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
        sum[0] += r * a;
        sum[1] += g * a;
        sum[2] += b * a;
        sum[3] += a;
      }
    }
    const offset = py * (SIZE * 4 + 1) + 1 + px * 4;
    const alpha = sum[3] / (SAMPLES * SAMPLES);
    for (let c = 0; c < 3; c++) raw[offset + c] = sum[3] === 0 ? 0 : Math.round(sum[c] / sum[3]);
    raw[offset + 3] = Math.round(alpha);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes) => {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);

const out = process.argv[2] ?? new URL('../media/icon.png', import.meta.url);
writeFileSync(out, png);
console.log(`wrote ${out instanceof URL ? out.pathname : out} (${png.length} bytes, ${SIZE}x${SIZE})`);
