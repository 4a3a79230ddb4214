/**
 * The import pipeline's ids after the speed-ups in src/screening (an ASCII path for normaliseTitle): the
 * same results as the code they replaced, kept here as the reference, on random titles.
 */
import { describe, expect, it } from 'vitest';
import { normaliseName, normaliseTitle } from '../../../src/screening/ids';
import { seededRandom } from '../../../src/screening/ranking/random';

// ---- The code before (reference) ------------------------------------------------------------------

function normaliseTitleBefore(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/<[^>]*>/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function normaliseNameBefore(name: string): string {
  return normaliseTitleBefore(name).replace(/ /g, '');
}

// ---- Tests ----------------------------------------------------------------------------------------


describe('normaliseTitle', () => {
  it('gives what the regex chain gave', () => {
    const random = seededRandom(11);
    const pieces = ['Study', 'of', 'the', 'Effect', 'A', 'b', '2', '19', ' ', '  ', '-', ':', '.', ',', '<i>', '</i>', '<', '>', '<sup>2</sup>', 'a<b', 'x>y', '_', '\t', '\n', 'é', 'Café', 'ﬁ', 'Ⅻ', '²', 'İ', 'ß', '研究', 'e\u0301', '\u00a0', '😀', "'", '"', '(', ')', '&amp;'];
    const titles = ['', ' ', 'A', 'Café  culture: a Study.', '<i>x</i>', 'a<b>c', '<<a>>', 'x <unclosed', '1.2.3'];
    for (let i = 0; i < 20_000; i++) titles.push(Array.from({ length: Math.floor(random() * 10) }, () => pieces[Math.floor(random() * pieces.length)]).join(random() < 0.7 ? ' ' : ''));
    for (const title of titles) {
      expect(normaliseTitle(title), JSON.stringify(title)).toBe(normaliseTitleBefore(title));
      expect(normaliseName(title), JSON.stringify(title)).toBe(normaliseNameBefore(title));
    }
  });
});
