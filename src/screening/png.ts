/**
 * Small PNG helpers without dependencies: read the size, and stamp the physical resolution (a pHYs
 * chunk) so a 300 dpi export opens at its print size in Word, LaTeX and image editors.
 */

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let crcTable: Uint32Array | undefined;

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[i] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 33 && SIGNATURE.every((byte, i) => bytes[i] === byte);
}

interface Chunk {
  type: string;
  /** Offset of the chunk's length field. */
  offset: number;
  /** Length of the data. */
  length: number;
}

function* chunks(bytes: Uint8Array): Generator<Chunk> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  while (offset + 12 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    yield { type, offset, length };
    offset += 12 + length;
  }
}

/** Width and height from the IHDR chunk. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  if (!isPng(bytes)) throw new Error('not a PNG file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** The resolution stamped in the pHYs chunk (dots per inch), if any. */
export function pngDpi(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const chunk of chunks(bytes)) {
    if (chunk.type === 'pHYs' && chunk.length === 9 && bytes[chunk.offset + 16] === 1) {
      return Math.round(view.getUint32(chunk.offset + 8) * 0.0254);
    }
  }
  return undefined;
}

/** A copy of the PNG with a pHYs chunk saying `dpi` (replacing any there was), right after IHDR. */
export function setPngDpi(bytes: Uint8Array, dpi: number): Uint8Array {
  if (!isPng(bytes)) throw new Error('not a PNG file');
  const perMetre = Math.round(dpi / 0.0254);
  const phys = new Uint8Array(21);
  const view = new DataView(phys.buffer);
  view.setUint32(0, 9);
  phys.set([0x70, 0x48, 0x59, 0x73], 4); // "pHYs"
  view.setUint32(8, perMetre);
  view.setUint32(12, perMetre);
  phys[16] = 1; // unit: metre
  view.setUint32(17, crc32(phys, 4, 17));

  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  for (const chunk of chunks(bytes)) {
    const whole = bytes.subarray(chunk.offset, chunk.offset + 12 + chunk.length);
    if (chunk.type === 'pHYs') continue;
    parts.push(whole);
    if (chunk.type === 'IHDR') parts.push(phys);
  }
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
