/**
 * Duplicate detection, rule by rule, on real record pairs: bib-dedupe's benchmark records in
 * ../shared/corpus/dedup (read at test time, by set and id) and titles quoted from corpus files.
 */
import { describe, expect, it } from 'vitest';
import { bibDedupeSets } from '../../../bench/lib/dedup-sets';
import { detectDuplicates } from '../../../src/screening/dedup';
import { authorFamily, dedupFields, journalWords, normaliseDedupTitle, noticeKind, pageRange, sameJournal } from '../../../src/screening/dedup-fields';
import { compareRecords, type PairOutcome } from '../../../src/screening/dedup-match';
import type { BibRecord } from '../../../src/screening/record';
import { corpusAvailable } from '../helpers/corpus';

const sets = corpusAvailable ? new Map(bibDedupeSets().map((set) => [set.name.replace('bib-dedupe ', ''), set])) : new Map();

/** A record of bib-dedupe's set by id, and whether the set's truth groups two records. */
function real(set: string, id: string): BibRecord {
  const found = sets.get(set)?.records.find((r: BibRecord) => r.id === id);
  if (!found) throw new Error(`${set} ${id} not in the corpus`);
  return found;
}

function truthSays(set: string, a: string, b: string): boolean {
  const s = sets.get(set)!;
  const index = (id: string) => s.records.findIndex((r: BibRecord) => r.id === id);
  return s.group[index(a)] === s.group[index(b)];
}

function outcome(a: BibRecord, b: BibRecord): PairOutcome {
  return compareRecords(dedupFields(a), dedupFields(b)).outcome;
}

function rec(fields: Partial<BibRecord>, id = 'x'): BibRecord {
  return { id, title: '', authors: [], keywords: [], type: 'journal-article', provenance: { file: 'a.ris', format: 'ris', line: 1, index: 0 }, ...fields };
}

describe('normalisation', () => {
  it('drops accents, case and punctuation', () => {
    expect(normaliseDedupTitle('More on Eculizumab for Congenital Atypical Hemolytic–Uremic Syndrome')).toBe(
      normaliseDedupTitle('More on eculizumab for congenital atypical hemolytic-uremic syndrome.'),
    );
    expect(normaliseDedupTitle('Kapitel 6. Ökobilanzierung')).toBe('kapitel 6 okobilanzierung');
    expect(authorFamily('Nürnberger, Jens')).toBe(authorFamily('Nurnberger, J.'));
    expect(normaliseDedupTitle('Effect of TNF-α blockade')).toBe('effect of tnf alpha blockade');
  });

  it('removes HTML and LaTeX markup', () => {
    // digital_work id_2006629 and id_1005393
    expect(normaliseDedupTitle('Working in the digitized economy: HRM theory &amp; practice')).toBe('working in the digitized economy hrm theory practice');
    expect(normaliseDedupTitle('Twenty years of the {E}uropean {I}nformation {S}ystems {A}cademy at {ECIS}')).toBe('twenty years of the european information systems academy at ecis');
    expect(normaliseDedupTitle('<i>Helicobacter pylori</i> eradication')).toBe('helicobacter pylori eradication');
    expect(normaliseDedupTitle('Die {\\"O}kobilanz von \\textit{Kl{\\"a}rwerken}')).toBe('die okobilanz von klarwerken');
  });

  it('unwraps translated titles in brackets and drops notes after the title', () => {
    // ris/Reflib__blue-light.ris, haematology id_0000025, id_0000193, id_0000019
    expect(normaliseDedupTitle('[Behavioural addiction : an independent diagnostic category?].')).toBe('behavioural addiction an independent diagnostic category');
    expect(normaliseDedupTitle('[Clinical aspects of the complement system]. [Japanese]')).toBe('clinical aspects of the complement system');
    expect(normaliseDedupTitle('Translational mini-review series on complement factor H. [Review] [108 refs]')).toBe('translational mini review series on complement factor h');
    expect(normaliseDedupTitle('Severe deficiency in children.[Erratum appears in J Pediatr. 2003 Jun')).toBe('severe deficiency in children');
    expect(normaliseDedupTitle("Zur Therapie der Akne (author's transl)")).toBe('zur therapie der akne');
  });

  it('reads page ranges in their abbreviated and dashed forms', () => {
    expect(pageRange('221-6')).toEqual({ first: '221', last: '226' });
    expect(pageRange('221–226')).toEqual({ first: '221', last: '226' });
    expect(pageRange('376 -- 383')).toEqual({ first: '376', last: '383' });
    expect(pageRange('S12-5')).toEqual({ first: 's12', last: 's15' });
    expect(pageRange('e12724')).toEqual({ first: 'e12724' });
    // cytology id_0000070: a mangled field is no page at all
    expect(pageRange('Suppl-29')).toEqual({});
  });

  it('matches journal abbreviations and variants', () => {
    const same = (a: string, b: string) => sameJournal(journalWords(a), journalWords(b));
    expect(same('Nat Rev Nephrol', 'Nature Reviews Nephrology')).toBe(true);
    expect(same('New Engl J Med', 'New England Journal of Medicine')).toBe(true);
    expect(same('Obstetrics & Gynecology', 'Obstetrics and Gynecology')).toBe(true);
    expect(same('Proc Natl Acad Sci U S A', 'Proceedings of the National Academy of Sciences of the United States of America')).toBe(true);
    expect(same('Cancer epidemiology, biomarkers & prevention : a publication of the American Association', 'Cancer Epidemiology Biomarkers and Prevention')).toBe(true);
    expect(same('BMJ (Clinical research ed.)', 'BMJ')).toBe(true);
    expect(same('Journal of Clinical Virology', 'Journal of Clinical Oncology')).toBe(false);
    expect(same('J Clin Oncol', 'J Clin Oncol Nurs')).toBe(false);
  });

  it('reads author names in every export form', () => {
    for (const form of ['Zuna, R E', 'Zuna RE', 'R. E. Zuna', 'ZUNA, R. E.', 'Zuna, Rosemary E.']) expect(authorFamily(form)).toBe('zuna');
    expect(authorFamily('Le Quintrec M')).toBe('lequintrec');
    expect(authorFamily('Laurence van der Kohn')).toBe('vanderkohn');
  });

  it('tells notices from articles', () => {
    expect(noticeKind(normaliseDedupTitle('Erratum: Gain-of-function mutations in complement factor B'))).toBe('erratum');
    expect(noticeKind(normaliseDedupTitle('Erratum to - How do requirements evolve over time?'))).toBe('erratum');
    expect(noticeKind(normaliseDedupTitle('Reply to the letter by Smith et al.'))).toBe('reply');
    expect(noticeKind(normaliseDedupTitle('Comment on: Effects of exercise'))).toBe('comment');
    expect(noticeKind(normaliseDedupTitle('Retraction note: A study'))).toBe('retraction');
    expect(noticeKind(normaliseDedupTitle('RETRACTED: A study of things'))).toBeUndefined();
    expect(noticeKind(normaliseDedupTitle('Correction of scoliosis in children'))).toBe('erratum');
  });
});

describe.runIf(corpusAvailable)('pairs from bib-dedupe\'s benchmark sets', () => {
  it('merges exports of one paper that differ in case, author form, journal name and DOI case', () => {
    expect(outcome(real('cytology_screening', 'id_0000294'), real('cytology_screening', 'id_0000295'))).toBe('duplicate');
    expect(outcome(real('cytology_screening', 'id_0000294'), real('cytology_screening', 'id_0000296'))).toBe('duplicate');
    expect(outcome(real('digital_work', 'id_3006876'), real('digital_work', 'id_2006634'))).toBe('duplicate');
    expect(outcome(real('haematology', 'id_0000006'), real('haematology', 'id_0000007'))).toBe('duplicate');
  });

  it('merges a translated title in brackets with the plain one', () => {
    expect(outcome(real('haematology', 'id_0000024'), real('haematology', 'id_0000025'))).toBe('duplicate');
  });

  it('never merges an erratum with its article (even where the benchmark groups them)', () => {
    expect(outcome(real('haematology', 'id_0000175'), real('haematology', 'id_0001173'))).toBe('distinct');
    expect(truthSays('haematology', 'id_0000175', 'id_0001173')).toBe(true);
    expect(outcome(real('digital_work', 'id_1005082'), real('digital_work', 'id_1005083'))).toBe('distinct');
  });

  it('never merges a comment or a reply with the article', () => {
    const article = real('cytology_screening', 'id_0000294');
    for (const prefix of ['Comment on: ', 'Reply to: ', 'Retraction note: ']) {
      expect(outcome(article, { ...article, id: 'notice', title: `${prefix}${article.title}` })).toBe('distinct');
    }
  });

  it('never merges records whose DOIs differ', () => {
    // The same title and authors a year apart, two DOIs: digital_work groups them, we keep them apart.
    expect(outcome(real('digital_work', 'id_1003663'), real('digital_work', 'id_1003664'))).not.toBe('duplicate');
    const a = real('digital_work', 'id_3006876');
    expect(outcome(a, { ...a, id: 'other', doi: '10.1093/ntr/nty047' })).toBe('possible');
  });

  it('keeps a conference abstract apart from the article that followed', () => {
    expect(outcome(real('haematology', 'id_0000123'), real('haematology', 'id_0000840'))).not.toBe('duplicate');
    expect(truthSays('haematology', 'id_0000123', 'id_0000840')).toBe(false);
  });

  it('queues a pair whose pages disagree instead of merging it', () => {
    expect(outcome(real('cytology_screening', 'id_0000043'), real('cytology_screening', 'id_0000044'))).toBe('possible');
  });

  it('treats an article number and print pages as no evidence either way', () => {
    expect(outcome(real('cytology_screening', 'id_0001040'), real('cytology_screening', 'id_0001041'))).toBe('duplicate');
  });
});

describe('grouping', () => {
  const title = 'Barriers to somatic health care for persons with severe mental illness in Belgium';
  const base = { title, authors: ['Kohn, L', 'Smith, J'], year: 2022, journal: 'BMC Psychiatry', volume: '22', pages: '100-110' };

  it('never joins two DOIs through a record without one', () => {
    const records = [rec({ ...base, doi: '10.1/a' }, 'a'), rec({ ...base }, 'b'), rec({ ...base, doi: '10.1/b' }, 'c')];
    const { links, possible } = detectDuplicates(records);
    const groupOf = (i: number) => links.find((l) => l.index === i)?.duplicateOf ?? i;
    expect(groupOf(0)).not.toBe(groupOf(2));
    expect(links).toHaveLength(1);
    expect(possible.length).toBeGreaterThan(0);
  });

  it('follows a reviewer: rejected pairs stay apart, confirmed ones join, the chosen record is kept', () => {
    const records = [rec({ ...base }, 'a'), rec({ ...base, title: title.toUpperCase() }, 'b'), rec({ title: 'Something else entirely, by someone else', year: 1999 }, 'c')];
    expect(detectDuplicates(records).links).toEqual([{ index: 1, duplicateOf: 0, reason: 'fields', similarity: 1 }]);
    expect(detectDuplicates(records, [{ a: 0, b: 1, verdict: 'distinct' }]).links).toEqual([]);
    expect(detectDuplicates(records, [{ a: 0, b: 2, verdict: 'duplicate', keep: 2 }]).links).toEqual([
      { index: 0, duplicateOf: 2, reason: 'decision' },
      { index: 1, duplicateOf: 2, reason: 'fields', similarity: 1 },
    ]);
  });

  it('reports each possible pair once per two groups', () => {
    const records = [rec({ ...base }, 'a'), rec({ ...base, title: title.toUpperCase() }, 'b'), rec({ ...base, pages: '200-210' }, 'c')];
    const { links, possible } = detectDuplicates(records);
    expect(links).toHaveLength(1);
    expect(possible).toHaveLength(1);
    expect(possible[0].comparison.fields.pages).toBe('different');
  });
});
