/** PNG resolution stamping (the PRISMA PNG export is stamped 300 dpi). */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, isPng, pngDpi, pngSize, setPngDpi } from '../../../src/screening/png';

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set([...type].map((c) => c.charCodeAt(0)), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/** A valid 3×2 RGB PNG. */
function tinyPng(extra: Uint8Array[] = []): Uint8Array {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, 3);
  view.setUint32(4, 2);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = new Uint8Array(2 * (1 + 3 * 3)).fill(200);
  raw[0] = 0;
  raw[10] = 0;
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), ...extra, chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array())];
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

function chunkTypes(png: Uint8Array): string[] {
  const types: string[] = [];
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let at = 8; at + 12 <= png.length; at += 12 + view.getUint32(at)) {
    const length = view.getUint32(at);
    types.push(String.fromCharCode(...png.subarray(at + 4, at + 8)));
    // Every chunk's CRC is right.
    expect(view.getUint32(at + 8 + length)).toBe(crc32(png, at + 4, at + 8 + length));
  }
  return types;
}

describe('PNG resolution', () => {
  it('computes the PNG CRC-32', () => {
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
  });

  it('adds a pHYs chunk after IHDR saying 300 dpi, keeping the image', () => {
    const png = tinyPng();
    expect(isPng(png)).toBe(true);
    expect(pngDpi(png)).toBeUndefined();
    const stamped = setPngDpi(png, 300);
    expect(pngSize(stamped)).toEqual({ width: 3, height: 2 });
    expect(pngDpi(stamped)).toBe(300);
    expect(chunkTypes(stamped)).toEqual(['IHDR', 'pHYs', 'IDAT', 'IEND']);
    expect(stamped.length).toBe(png.length + 21);
  });

  it('replaces an existing pHYs chunk', () => {
    const old = new Uint8Array(9);
    new DataView(old.buffer).setUint32(0, 2835);
    new DataView(old.buffer).setUint32(4, 2835);
    old[8] = 1;
    const png = tinyPng([chunk('pHYs', old)]);
    expect(pngDpi(png)).toBe(72);
    const stamped = setPngDpi(png, 300);
    expect(chunkTypes(stamped)).toEqual(['IHDR', 'pHYs', 'IDAT', 'IEND']);
    expect(pngDpi(stamped)).toBe(300);
  });

  it('refuses what is not a PNG', () => {
    expect(() => setPngDpi(new TextEncoder().encode('<svg/>'), 300)).toThrow(/not a PNG/);
  });
});
