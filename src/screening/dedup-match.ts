/**
 * Compares two records field by field and decides: duplicate (merged), possible duplicate (queued
 * for a person, never merged) or distinct. The rules, most decisive first:
 * - a notice (erratum, retraction, comment, reply) is never the article it is about;
 * - records whose DOIs differ are never merged (at most queued, when all else agrees);
 * - the same DOI or PMID with a compatible title is a duplicate;
 * - otherwise the title must agree (numbers included: "Part 1" is not "Part 2"), and the other
 *   fields both records have must agree too: authors, year (a year apart is allowed: online first
 *   vs issue), journal (abbreviations allowed), volume, issue, first page. Enough agreeing fields
 *   make a duplicate; a disagreement, or too little to go on, makes a possible duplicate.
 */
import { abstractKey, sameJournal, typoApart, type DedupFields } from './dedup-fields';

export type PairOutcome = 'duplicate' | 'possible' | 'distinct';

/** How one field of two records compares: both present and agreeing, disagreeing, or missing in one. */
export type FieldAgreement = 'same' | 'different' | 'missing';

export type ComparedField = 'title' | 'authors' | 'journal' | 'year' | 'volume' | 'issue' | 'pages' | 'doi' | 'pmid';

export interface PairComparison {
  outcome: PairOutcome;
  /** Title similarity (Sørensen–Dice over character bigrams of the normalised titles). */
  titleSimilarity: number;
  fields: Record<ComparedField, FieldAgreement>;
  /** Why, in a few words (for the queue and for tests). */
  rule: string;
}

/** Titles at least this similar (titleSimilarity, with the same numbers) are the same title. */
export const STRONG_TITLE = 0.93;
const TYPO_TITLE = 0.8;
/** Titles this short ("Editorial", "Reply") say little on their own. */
const SHORT_TITLE = 30;

export function compareRecords(a: DedupFields, b: DedupFields): PairComparison {
  const fields: Record<ComparedField, FieldAgreement> = {
    title: 'missing',
    authors: agreeAuthors(a, b),
    journal: !a.journal || !b.journal ? 'missing' : a.journal === b.journal || sameJournal(a.journal.split(' '), b.journal.split(' ')) ? 'same' : 'different',
    year: a.year === undefined || b.year === undefined ? 'missing' : Math.abs(a.year - b.year) <= 1 ? 'same' : 'different',
    volume: agree(a.volume, b.volume),
    issue: agree(a.issue, b.issue),
    pages: agreePages(a, b),
    doi: agree(a.doi, b.doi),
    pmid: agree(a.pmid, b.pmid),
  };
  const titleSimilarity = a.titleKey && b.titleKey ? (a.titleKey === b.titleKey ? 1 : titleDice(a, b)) : 0;
  const sameNumbers = a.titleNumbers === b.titleNumbers;
  if (a.titleKey && b.titleKey) fields.title = titleSimilarity >= STRONG_TITLE && sameNumbers ? 'same' : 'different';
  const result = (outcome: PairOutcome, rule: string): PairComparison => ({ outcome, titleSimilarity, fields, rule });

  if (a.notice !== b.notice) return result('distinct', 'a notice is never the article it is about');
  const identifier = fields.doi === 'same' || fields.pmid === 'same';
  const titlesCompatible = !a.titleKey || !b.titleKey || titleSimilarity >= 0.6 || opensTitle(a.title, b.title);
  if (fields.doi === 'different') {
    // Never merged; queued only when everything else says it is the same paper (a DOI typo, a preprint's DOI).
    const agreeing = titleSimilarity >= STRONG_TITLE && sameNumbers && fields.authors === 'same' && noHardConflict(fields) && fields.year === 'same';
    return agreeing ? result('possible', 'different DOIs, all else agrees') : result('distinct', 'different DOIs');
  }
  if (identifier) {
    if (fields.pmid === 'different') return result('possible', 'same DOI, different PMIDs');
    if (titlesCompatible) return result('duplicate', fields.doi === 'same' ? 'same DOI' : 'same PMID');
    return result('possible', 'same identifier, different titles');
  }
  if (fields.pmid === 'different') {
    const agreeing = titleSimilarity >= STRONG_TITLE && sameNumbers && fields.authors !== 'different' && noHardConflict(fields);
    return agreeing ? result('possible', 'different PMIDs, all else agrees') : result('distinct', 'different PMIDs');
  }

  const support = countSame(fields, a, b);
  const hardConflict = !noHardConflict(fields);
  const short = Math.min(a.titleKey.length, b.titleKey.length) < SHORT_TITLE;

  // No title on one side: the bibliographic details must say it all.
  if (!a.titleKey || !b.titleKey) {
    if (!hardConflict && fields.authors === 'same' && fields.year === 'same' && (fields.pages === 'same' || fields.volume === 'same')) return result('possible', 'no title; some details agree');
    return result('distinct', 'no title to compare');
  }

  if (titleSimilarity >= STRONG_TITLE && sameNumbers) {
    if (hardConflict) {
      return fields.authors === 'different' && (fields.year === 'different' || fields.journal === 'different')
        ? result('distinct', 'same title, different authors and publication')
        : result('possible', 'same title, conflicting details');
    }
    if (fields.authors === 'different') return result('possible', 'same title, different authors');
    // A conference abstract and the article that followed share title and authors, not the journal.
    if (fields.journal === 'different' && fields.pages !== 'same' && !(fields.volume === 'same' && fields.issue === 'same')) return result('possible', 'same title, different journals');
    if (short) return support >= 4 ? result('duplicate', 'short title, details agree') : result('possible', 'short title');
    if (support >= 2 || (support >= 1 && fields.authors === 'same')) return result('duplicate', 'title and details agree');
    // Only the title (and perhaps the year) to go on: the abstracts decide, else an exact long title.
    if (sameAbstract(a, b)) return result('duplicate', 'title and abstract agree');
    if (a.titleKey === b.titleKey && a.titleKey.length >= 50 && fields.year !== 'missing') return result('duplicate', 'identical long title and year');
    return result('possible', 'same title, little else to compare');
  }
  if (opensTitle(a.title, b.title) && (containsTitle(a.titleKey, b.titleKey) || fields.pages === 'same')) {
    // One title has a subtitle the other lacks ("Infrastructure in the wild" / "…: what mapping in Nepal reveals").
    if (!hardConflict && fields.authors === 'same' && fields.pages === 'same' && support >= 4) return result('duplicate', 'title with subtitle, details agree');
    if (!hardConflict && fields.authors === 'same' && support >= 3 && sameNumbers && !short) return result('duplicate', 'title with subtitle, details agree');
    if (!hardConflict && fields.authors !== 'different') return result('possible', 'title with or without subtitle');
    return result('distinct', 'titles differ');
  }
  if (titleSimilarity >= TYPO_TITLE) {
    // A typo or a word more in the title: the other fields decide.
    // The pages are what tells two abstracts of one meeting by the same team apart: they must agree.
    if (!hardConflict && fields.authors === 'same' && fields.pages === 'same' && support >= 4 && sameNumbers) return result('duplicate', 'title differs slightly, details agree');
    if (!hardConflict && titleSimilarity >= 0.88 && a.year === b.year && fields.authors !== 'different' && fields.journal !== 'different' && sameNumbers && sameAbstract(a, b)) {
      return result('duplicate', 'title differs slightly, abstract agrees');
    }
    if (!hardConflict && fields.authors !== 'different' && support >= 2) return result('possible', 'similar titles, details agree');
    return result('distinct', 'similar titles, details differ');
  }
  if (!hardConflict && fields.authors === 'same' && fields.year === 'same' && fields.volume === 'same' && fields.pages === 'same' && fields.journal === 'same') {
    // The same authors in the same journal, volume and page are the same article under another title (a translation).
    return result('possible', 'different titles, same publication details');
  }
  return result('distinct', 'titles differ');
}

/** Whether both records have an abstract and their openings agree (Dice ≥ 0.9 over character bigrams). */
function sameAbstract(a: DedupFields, b: DedupFields): boolean {
  if (!a.abstract || !b.abstract) return false;
  const x = abstractKey(a);
  const y = abstractKey(b);
  if (x.length < 80 || y.length < 80) return false;
  return x === y || diceSorted(bigramCodes(x), bigramCodes(y)) >= 0.9;
}

function agree(a: string | undefined, b: string | undefined): FieldAgreement {
  if (!a || !b) return 'missing';
  return a === b ? 'same' : 'different';
}

function agreePages(a: DedupFields, b: DedupFields): FieldAgreement {
  if (!a.firstPage || !b.firstPage) return 'missing';
  if (a.firstPage === b.firstPage) return a.lastPage && b.lastPage && a.lastPage !== b.lastPage ? 'different' : 'same';
  // An article number beside print pages (BMJ's "a1754" and "969-972", PLoS's "e12724" and "1-6"): no evidence either way.
  if (/^[a-z]/.test(a.firstPage) !== /^[a-z]/.test(b.firstPage)) return 'missing';
  // One page of a range given as the whole ("488" and "487-488"), or a typo in the first page of one range.
  if ((!a.lastPage && a.firstPage === b.lastPage) || (!b.lastPage && b.firstPage === a.lastPage) || (a.lastPage && a.lastPage === b.lastPage)) return 'missing';
  return 'different';
}

function agreeAuthors(a: DedupFields, b: DedupFields): FieldAgreement {
  if (a.families.length === 0 || b.families.length === 0) return 'missing';
  const [fewer, more] = a.families.length <= b.families.length ? [a, b] : [b, a];
  // An author agrees when one of their name words is among the other record's ("Le Quintrec, M" / "Quintrec, M").
  const exact = (i: number): boolean => {
    if (more.nameWords.includes(` ${fewer.families[i]} `)) return true;
    for (const word of fewer.authorWords[i].split(' ')) if (more.nameWords.includes(` ${word} `)) return true;
    return false;
  };
  // A typo in a family name ("Che" for "Chen"): one edit apart, for names of four letters or more.
  const typo = (i: number): boolean => {
    const family = fewer.families[i];
    if (family.length < 3) return false;
    for (const other of more.families) if (other.length >= 4 && Math.abs(other.length - family.length) <= 1 && typoApart(family, other)) return true;
    return false;
  };
  const n = fewer.families.length;
  const needed = Math.ceil(0.75 * n);
  const matched: boolean[] = [];
  let count = 0;
  for (let i = 0; i < n; i++) if ((matched[i] = exact(i))) count++;
  // Typos are looked for only when the exact matches leave it open.
  for (let i = 0; i < n && count < needed; i++) if (!matched[i] && (matched[i] = typo(i))) count++;
  // First author first: a list truncated to "Smith et al." still agrees.
  return count >= needed || (n <= 2 && count >= 1 && matched[0]) ? 'same' : 'different';
}

/** Disagreements that two exports of one paper do not have: year more than one apart, volume, first page. */
function noHardConflict(fields: Record<ComparedField, FieldAgreement>): boolean {
  return fields.year !== 'different' && fields.volume !== 'different' && fields.pages !== 'different' && fields.issue !== 'different';
}

/** Fields that agree besides the title; a year counts only when equal (a year apart is merely no conflict). */
function countSame(fields: Record<ComparedField, FieldAgreement>, a: DedupFields, b: DedupFields): number {
  let count = 0;
  for (const field of ['authors', 'journal', 'volume', 'issue', 'pages'] as const) if (fields[field] === 'same') count++;
  if (a.year !== undefined && a.year === b.year) count++;
  return count;
}

/** Whether the shorter title (three words or more) opens the longer one at a word boundary. */
function opensTitle(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 12 && short.split(' ').length >= 3 && long.startsWith(`${short} `);
}

function containsTitle(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= SHORT_TITLE && short.length >= long.length * 0.5 && long.startsWith(short);
}

// ---------------------------------------------------------------------------------------------
// Title similarity

/** Character bigram counts of a string, as a sorted array of codes for a fast merge. */
export function bigramCodes(text: string): Uint32Array {
  const codes = new Uint32Array(Math.max(0, text.length - 1));
  for (let i = 0; i < codes.length; i++) codes[i] = (text.charCodeAt(i) << 16) | text.charCodeAt(i + 1);
  return codes.sort();
}

/** Sørensen–Dice coefficient over two sorted bigram arrays. */
export function diceSorted(a: Uint32Array, b: Uint32Array): number {
  if (a.length + b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return (2 * shared) / (a.length + b.length);
}

function titleDice(a: DedupFields, b: DedupFields): number {
  return diceSorted((a.bigrams ??= bigramCodes(a.titleKey)), (b.bigrams ??= bigramCodes(b.titleKey)));
}
