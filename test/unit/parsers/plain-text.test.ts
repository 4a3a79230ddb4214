import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importBytes, importText } from '../../../src/parsers/index';
import { hasWordRun, plainTextImporter } from '../../../src/parsers/plain-text';
import { seededRandom } from '../../../src/screening/ranking/random';
import { SEEDS_DIR } from '../helpers/corpus';

const seed = (name: string) => importBytes(readFileSync(join(SEEDS_DIR, name)), `seeds/${name}`);

describe('plain text / grey literature', () => {
  it('seed 002: the title is the first heading-like line, not the long first sentence', () => {
    const result = seed('002_f4066c9c8d01d0c3.txt');
    expect(result.format).toBe('plain-text');
    expect(result.records).toHaveLength(1);
    const record = result.records[0];
    expect(record.title).toBe('Planning to integrate mental and physical health');
    expect(record.type).toBe('grey-literature');
    expect(record.abstract).toMatch(/^The serious mental illness \(SMI\) mortality gap/);
    expect(record.abstract!.length).toBeLessThanOrEqual(1500);
    expect(record.fullText).toMatch(/^This section provides background information/);
    expect(record.fullText).toMatch(/Back to Integrated and coordinated care$/);
  });

  it('seed 004', () => {
    const result = seed('004_162abf6513c8e8a2.txt');
    expect(result.format).toBe('plain-text');
    const record = result.records[0];
    expect(record.title).toBe('Integrating physical and mental health');
    expect(record.type).toBe('grey-literature');
    expect(record.abstract).toMatch(/^People using health and care services commonly find/);
    expect(record.fullText).toContain('Key milestones');
  });

  it('claims prose with a low score, and nothing else', () => {
    expect(plainTextImporter.sniff('Integrating care\n\nThis is a paragraph of ordinary prose about health care.')).toBeCloseTo(0.21);
    expect(plainTextImporter.sniff('{"settings": {"theme": "dark"}, "values": [1, 2, 3]}')).toBe(0);
    expect(plainTextImporter.sniff(' ## ')).toBe(0);
    expect(plainTextImporter.sniff('a,b,c\n1,2,3\n4,5,6\n')).toBe(0);
    expect(plainTextImporter.sniff('\u0001\u0002\u0003 binary-ish text with some words in it here')).toBe(0);
  });

  it('a structured format wins over plain text', () => {
    expect(importText('TY  - JOUR\nTI  - Some title of a paper\nER  - \n', 'x.txt').format).toBe('ris');
  });

  it('shortens a first line used as title when no heading is found', () => {
    const text = `${'A very long sentence that goes on and on. '.repeat(10)}\n\nAnother paragraph of text that ends with a full stop.`;
    const result = importText(text, 'long.txt');
    expect(result.records[0].title.length).toBeLessThanOrEqual(151);
    expect(result.problems).toEqual([expect.objectContaining({ severity: 'info' })]);
  });

  it('finds runs of words exactly where the former regular expression did', () => {
    const former = /\p{L}{2,}(?:[ ,;:'’()-]+\p{L}+){3,}/u;
    const random = seededRandom(7);
    const alphabet = ['a', 'b', 'é', 'Ж', ' ', ',', ';', ':', '(', ')', '-', "'", '’', '1', '.', '\n', 'x'];
    for (let n = 0; n < 50_000; n++) {
      let text = '';
      for (let i = Math.floor(random() * 24); i > 0; i--) text += alphabet[Math.floor(random() * alphabet.length)];
      expect(hasWordRun(text, 4), JSON.stringify(text)).toBe(former.test(text));
    }
  });

  it('reads 80 KB of letters without a space in one pass (the former expression took minutes)', () => {
    let steps = 0;
    const letters = 'abcdefghij'.repeat(8_000);
    // Counted through the iterator the scan reads the text with: one step per character.
    const counted = { [Symbol.iterator]: function* () { for (const c of letters) { steps++; yield c; } } };
    expect(hasWordRun(counted as unknown as string, 4)).toBe(false);
    expect(steps).toBe(letters.length);
    expect(plainTextImporter.sniff(`A title\n\n${letters}`)).toBe(0);
  });
});
