import { describe, expect, it } from 'vitest';
import { cleanTerms, mergeTermLists, TermMatcher } from '../../../src/screening/highlight';

describe('TermMatcher', () => {
  const matcher = new TermMatcher({ include: ['serious mental illness', 'mental illness', 'random*', 'care', 'follow up'], exclude: ['child*', 'dementia'] });

  it('matches whole words, case-insensitively, longest first', () => {
    const text = 'People with Serious Mental Illness get careful CARE; mental illness again.';
    expect(matcher.matches(text).map((match) => [text.slice(match.start, match.end), match.kind])).toEqual([
      ['Serious Mental Illness', 'include'],
      ['CARE', 'include'],
      ['mental illness', 'include'],
    ]);
  });

  it('supports wildcards and phrases across hyphens and line breaks', () => {
    const text = 'A randomised trial in children with dementia; follow-up at 6 months, follow\nup at 12.';
    const found = matcher.matches(text).map((match) => [text.slice(match.start, match.end), match.kind, match.term]);
    expect(found).toEqual([
      ['randomised', 'include', 'random*'],
      ['children', 'exclude', 'child*'],
      ['dementia', 'exclude', 'dementia'],
      ['follow-up', 'include', 'follow up'],
      ['follow\nup', 'include', 'follow up'],
    ]);
  });

  it('cuts text into segments that join back into the text, and never builds markup', () => {
    const text = '<img src=x onerror=alert(1)> care <script>alert(1)</script>';
    const segments = matcher.segments(text);
    expect(segments.map((segment) => segment.text).join('')).toBe(text);
    expect(segments.filter((segment) => segment.kind).map((segment) => segment.text)).toEqual(['care']);
  });

  it('treats regular-expression characters in terms literally, and handles accents and non-Latin words', () => {
    const special = new TermMatcher({ include: ['c++', '(SMI)', 'Müller', 'психоз'], exclude: [] });
    const text = 'c++ code by Müller on психоз (SMI) and cxx';
    expect(special.matches(text).map((match) => text.slice(match.start, match.end))).toEqual(['c++', 'Müller', 'психоз', '(SMI)']);
  });

  it('is empty without terms and counts matches', () => {
    expect(new TermMatcher({ include: [], exclude: [' ', '*'] }).empty).toBe(true);
    expect(matcher.count('children and care', undefined, 'dementia')).toEqual({ include: 1, exclude: 2 });
  });
});

describe('term lists', () => {
  it('cleans, de-duplicates and lets exclude-terms win', () => {
    expect(cleanTerms(['  a  b ', 'A B', '', '*', 'c'])).toEqual(['a b', 'c']);
    expect(mergeTermLists({ include: ['care', 'SMI'] }, { include: ['smi'], exclude: ['Care'] })).toEqual({ include: ['SMI'], exclude: ['Care'] });
  });
});
