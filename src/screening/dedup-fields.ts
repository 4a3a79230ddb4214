/**
 * The fields duplicate detection compares, normalised once per record: the same paper exported by
 * two databases differs in case, accents, markup (HTML, LaTeX), bracketed translated titles, author
 * forms ("Zuna, R E", "ZUNA RE", "R. E. Zuna"), journal abbreviations ("Nat Rev Nephrol") and page
 * ranges ("221-6", "221–226", "376 -- 383"). Notices about an article (erratum, retraction,
 * comment, reply) are told apart from the article, as they must never be merged with it.
 */
import type { BibRecord } from './record';

export type NoticeKind = 'erratum' | 'retraction' | 'comment' | 'reply';

export interface DedupFields {
  /** Lower case, ASCII, words separated by one space; markup, brackets and "RETRACTED:" removed. */
  title: string;
  /** The title without spaces, for character comparison. */
  titleKey: string;
  /** The numbers in the title ("Part 2", "2010"), joined by spaces. */
  titleNumbers: string;
  notice?: NoticeKind;
  /** Normalised family names, in order (at most MAX_AUTHORS). */
  families: string[];
  /** Per author, the words of three letters or more besides particles ("goicoechea jorge"), else its family name. */
  authorWords: string[];
  /** Every name word of every author (at most MAX_AUTHORS) between spaces (" zuna r e wang "), to match swapped name orders. */
  nameWords: string;
  /** The title's character bigrams, sorted (filled in when first compared). */
  bigrams?: Uint32Array;
  /** Journal words without stop words, lower case ASCII, separated by one space. */
  journal: string;
  year?: number;
  volume?: string;
  issue?: string;
  firstPage?: string;
  lastPage?: string;
  doi?: string;
  pmid?: string;
  /** The abstract as given (compared only when the other fields leave it open; see abstractKey). */
  abstract?: string;
  /** Its opening, normalised, once computed. */
  abstractKey?: string;
}

const MAX_AUTHORS = 12;

// ---------------------------------------------------------------------------------------------
// Text

const LETTERS_NOT_DECOMPOSED: Record<string, string> = {
  ß: 'ss', æ: 'ae', Æ: 'ae', œ: 'oe', Œ: 'oe', ø: 'o', Ø: 'o', ł: 'l', Ł: 'l', đ: 'd', Đ: 'd', ð: 'd', þ: 'th', ı: 'i',
};

/** Greek letters as words, so "TNF-α" matches "TNF-alpha". */
const GREEK: Record<string, string> = {
  α: 'alpha', β: 'beta', γ: 'gamma', δ: 'delta', ε: 'epsilon', κ: 'kappa', λ: 'lambda', μ: 'mu', π: 'pi', σ: 'sigma', τ: 'tau', ω: 'omega',
};

const HTML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '-', mdash: '-' };

/** HTML tags and entities, LaTeX commands, braces and math dollars removed or resolved. */
export function stripTitleMarkup(text: string): string {
  let out = text;
  if (out.includes('&')) {
    out = out.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
      }
      return HTML_ENTITIES[name.toLowerCase()] ?? whole;
    });
  }
  if (out.includes('<')) out = out.replace(/<\/?[a-z][^<>]*>/gi, '');
  if (out.includes('\\') || out.includes('{') || out.includes('$')) {
    out = out
      // Accents: {\"o}, \"{o}, \'e, \c{c}, \v{s}: keep the letter (accents are dropped later anyway).
      .replace(/\\["'`^~=.]\s*\{?([a-zA-Z])\}?/g, '$1')
      .replace(/\\[uvHcdbrkt]\{([a-zA-Z])\}/g, '$1')
      .replace(/\\(ss|ae|oe|aa|o|l)\b\s*/gi, (_, letters: string) => letters)
      .replace(/\\&/g, '&')
      // \textit{…}, \emph{…}, \mathrm{…}: keep the content.
      .replace(/\\[a-zA-Z]+\*?\s*/g, '')
      .replace(/[{}$]/g, '');
  }
  return out;
}

/** Lower case ASCII words: accents removed, letters such as ß and ø spelt out, punctuation to spaces. */
export function asciiWords(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase().replace(ASCII_SEPARATORS, ' ').trim();
  const decomposed = text
    .replace(/[ßæÆœŒøØłŁđĐðþı]/g, (c) => LETTERS_NOT_DECOMPOSED[c] ?? c)
    .replace(/[αβγδεκλμπστω]/g, (c) => ` ${GREEK[c]} `)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  // Scripts other than Latin (Cyrillic, CJK) keep their letters.
  return (NON_ASCII.test(decomposed) ? decomposed.replace(/[^\p{L}\p{N}]+/gu, ' ') : decomposed.replace(ASCII_SEPARATORS, ' ')).trim();
}

const NON_ASCII = /[^\x00-\x7f]/;
const ASCII_SEPARATORS = /[^a-z0-9]+/g;

// ---------------------------------------------------------------------------------------------
// Titles

/**
 * Notices about another article, by the opening of their title. An article whose title starts
 * "RETRACTED:" is the article itself (publishers mark it so) and is not a notice.
 */
const NOTICES: [RegExp, NoticeKind][] = [
  [/^(erratum|errata|corrigendum|corrigenda|correction|corrections|publisher s note|author correction|addendum)\b/, 'erratum'],
  [/^(retraction|notice of retraction|retraction note|expression of concern|editorial expression of concern|withdrawn)\b/, 'retraction'],
  [/^(reply|replies|response|responses|in reply|author reply|authors reply|author s reply|authors response|author s response|rebuttal)\b/, 'reply'],
  [/^(comment|comments|commentary|re|letter to the editor|invited commentary|editorial comment)\b/, 'comment'],
];

/** Words that say a title is a notice when they come after an opening phrase ("A reply to …"). */
const NOTICE_INSIDE: [RegExp, NoticeKind][] = [
  [/\b(erratum|corrigendum|correction) (to|for|in|on)\b/, 'erratum'],
  [/\b(retraction|retraction notice) (of|to|for)\b/, 'retraction'],
  [/\b(reply|response) to (the )?(comments?|letter|criticism|correspondence|commentary)\b/, 'reply'],
  [/\bcomments? on\b/, 'comment'],
];

export function noticeKind(title: string): NoticeKind | undefined {
  for (const [pattern, kind] of NOTICES) if (pattern.test(title)) return kind;
  for (const [pattern, kind] of NOTICE_INSIDE) if (pattern.test(title)) return kind;
  return undefined;
}

/**
 * The title as compared: markup removed, a title wholly in brackets (MEDLINE's translated titles)
 * unwrapped, trailing notes such as "[Article in German]" or "(author's transl)" and a leading
 * "RETRACTED:" dropped, then ASCII words.
 */
export function normaliseDedupTitle(raw: string): string {
  let title = stripTitleMarkup(raw).trim();
  // "[Translated title].", "[Translated title]. [Japanese]", "Title. [Review] [16 refs]", "Title.[Erratum appears in …" (cut
  // short), "Title (author's transl)": unwrap the brackets of a translated title, drop the notes after a title.
  let before: string;
  do {
    before = title;
    const bracketed = /^\[([^\]]*)\]\s*\.?$/.exec(title);
    if (bracketed) {
      title = bracketed[1].trim();
      continue;
    }
    const note = /^(.*?\S)\s*(\[[^[\]]*\]?|\((?:author'?s transl[^)]*|in process citation|see comments?|letter|editorial)\))\s*\.?\s*$/i.exec(title);
    if (note && note[1].replace(/[.\s]/g, '')) title = note[1];
  } while (title !== before);
  title = title.replace(/^\s*retracted(\s+article)?\s*:\s*/i, '');
  return asciiWords(title);
}

function numbersOf(title: string): string {
  return (title.match(/\d+/g) ?? []).join(' ');
}

// ---------------------------------------------------------------------------------------------
// Authors

const NAME_PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'du', 'le', 'la', 'dos', 'das', 'ter', 'ten', 'el', 'al', 'bin', 'ibn']);

/**
 * The family name of an author in any of the forms exports use: "Family, Given", "Family GI"
 * (MEDLINE), "GIVEN FAMILY", "G. Family"; particles ("van der", "de") are part of it, so the
 * result joins its words without spaces.
 */
export function authorFamily(author: string): string {
  return authorName(author).family;
}

function authorName(author: string): { family: string; words: string[] } {
  const trimmed = (author.includes('\\') || author.includes('{') || author.includes('&') || author.includes('<') ? stripTitleMarkup(author) : author).trim();
  const comma = trimmed.indexOf(',');
  if (comma >= 0) {
    const family = asciiWords(trimmed.slice(0, comma));
    return { family: family.replace(/ /g, ''), words: [...family.split(' '), ...asciiWords(trimmed.slice(comma + 1)).split(' ')] };
  }
  const raw = trimmed.split(/\s+/).filter(Boolean);
  const words = asciiWords(trimmed).split(' ');
  if (raw.length <= 1) return { family: words.join(''), words };
  // "Zuna RE", "Le Quintrec M": trailing initials (1–3 capitals, optionally dotted) follow the family name.
  const last = raw[raw.length - 1];
  if (/^(?:[A-Z]\.?){1,3}$/.test(last) && raw.slice(0, -1).some((word) => /[a-z]/.test(word) || word.length > 3)) {
    return { family: asciiWords(raw.slice(0, -1).join(' ')).replace(/ /g, ''), words };
  }
  // "R. E. Zuna", "Laurence van der Kohn": the family name is the last word and its particles.
  let start = raw.length - 1;
  while (start > 1 && NAME_PARTICLES.has(raw[start - 1].toLowerCase())) start--;
  return { family: asciiWords(raw.slice(start).join(' ')).replace(/ /g, ''), words };
}

/** Author entries that are not people: "et al.", "Anonymous", "[No authors listed]". */
function isPlaceholderAuthor(author: string): boolean {
  return /^\s*(\[?no authors? listed\]?|anonymous|anon\.?|et al\.?|others|n\/a|unknown)\s*$/i.test(author);
}

// ---------------------------------------------------------------------------------------------
// Journals

const JOURNAL_STOP_WORDS = new Set(['the', 'of', 'and', 'for', 'in', 'on', 'de', 'la', 'le', 'des', 'du', 'und', 'der', 'fur', 'an', 'et']);

export function journalWords(raw: string): string[] {
  // "BMJ (Clinical research ed.)", "Cancer [Electronic Resource]": the part in brackets is a qualifier.
  // "Nicotine & tobacco research : official journal of …": what follows a colon describes the journal.
  const base = stripTitleMarkup(raw)
    .replace(/\s*[([][^)\]]*[)\]]\s*/g, ' ')
    .replace(/\s*:.*$/s, '');
  return asciiWords(base.replace(/&/g, ' '))
    .split(' ')
    .filter((word) => word && !JOURNAL_STOP_WORDS.has(word));
}

const CONFERENCE_WORDS = new Set(['conference', 'proceedings', 'symposium', 'workshop', 'congress', 'meeting', 'conf', 'proc']);

/** Whether `short` abbreviates `long`: its letters appear in order and it starts with the same letter ("natl" of "national"). */
function abbreviates(short: string, long: string): boolean {
  if (short.length > long.length || short[0] !== long[0]) return false;
  if (long.startsWith(short)) return true;
  let at = 1;
  for (let i = 1; i < short.length; i++) {
    at = long.indexOf(short[i], at);
    if (at < 0) return false;
    at++;
  }
  return true;
}

/**
 * Whether two journal names name the same journal: equal, or one abbreviates the other word by word
 * ("Nat Rev Nephrol" / "Nature Reviews Nephrology", "Proc Natl Acad Sci U S A" / "Proceedings of
 * the National Academy of Sciences of the United States of America"), or one name is the other's
 * opening words ("BMJ" / "BMJ Clinical Research").
 */
/** The opening of an abstract, normalised, past a structured heading ("BACKGROUND:", "Objective."). */
export function abstractKey(fields: DedupFields): string {
  if (fields.abstractKey === undefined) {
    const text = asciiWords(stripTitleMarkup(fields.abstract ?? '').slice(0, 400)).replace(/^(background|objectives?|purpose|introduction|aims?|context|summary|abstract)\s+/, '');
    fields.abstractKey = text.replace(/ /g, '').slice(0, 200);
  }
  return fields.abstractKey;
}

export function sameJournal(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  if (a.join(' ') === b.join(' ')) return true;
  if (a.join('') === b.join('')) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length === long.length) {
    for (let i = 0; i < short.length; i++) {
      const [x, y] = short[i].length <= long[i].length ? [short[i], long[i]] : [long[i], short[i]];
      if (!abbreviates(x, y) && !(x.length >= 5 && typoApart(x, y))) return false;
    }
    return true;
  }
  // A conference named with more words ("ICIS Thirty First International Conference on Information Systems").
  if (short.length >= 3 && long.some((word) => CONFERENCE_WORDS.has(word)) && short.every((word) => long.includes(word))) return true;
  // "J Clin Oncol" is not "J Clin Oncol Nurs", but "Lancet" is "The Lancet London England".
  if (short.length === 1 && short[0].length >= 3 && long[0] === short[0]) return true;
  // Acronyms: "JAMA" / "Journal of the American Medical Association".
  if (short.length === 1 && short[0].length === long.length && long.every((word, i) => word[0] === short[0][i])) return true;
  return false;
}

/** Whether two different strings are one insertion, deletion, substitution or swap of neighbours apart. */
export function typoApart(a: string, b: string): boolean {
  if (a === b) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (long.length - short.length > 1) return false;
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  if (short.length === long.length) {
    if (short.slice(i + 1) === long.slice(i + 1)) return true;
    return short[i] === long[i + 1] && short[i + 1] === long[i] && short.slice(i + 2) === long.slice(i + 2);
  }
  return short.slice(i) === long.slice(i + 1);
}

// ---------------------------------------------------------------------------------------------
// Volume, issue, pages

/** A volume or issue as its first number ("Vol. 12", "012", "Drug Discovery. 9", "Suppl. 1"), else its words. */
function normaliseNumberField(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const number = /\d+/.exec(raw);
  if (number) return number[0].replace(/^0+(?=\d)/, '');
  const text = asciiWords(raw);
  return !text || text === 'unknown' || text === 'na' ? undefined : text;
}

/**
 * First and last page: "221-6" and "221–226" both give 221 and 226, "376 -- 383" gives 376 and
 * 383, "S12-5" gives s12 and s15, "e1234" stays e1234. Roman numerals and article numbers are kept
 * as written (lower case).
 */
export function pageRange(raw: string | undefined): { first?: string; last?: string } {
  if (!raw) return {};
  const text = raw.toLowerCase().replace(/\s+/g, '').replace(/^(pp?\.?|pages?)/, '');
  const parts = text.split(/[-\u2010-\u2015\u2212]+|to/).filter(Boolean);
  // A first page is a number with at most a two-letter prefix (S12, e1234, c37) or a Roman numeral; "Suppl-29" is not one.
  const page = (part: string | undefined): string | undefined => {
    const value = part?.replace(/^([a-z]*)0+(?=\d)/, '$1').replace(/[.,;]$/, '');
    return value && (/^[a-z]{0,2}\d+$/.test(value) || /^[ivxlcdm]+$/.test(value)) ? value : undefined;
  };
  const first = page(parts[0]);
  if (!first) return {};
  let last = page(parts[parts.length - 1]);
  if (parts.length === 1 || !last) return { first };
  // Abbreviated end page: the missing leading digits come from the first page, keeping its prefix letters.
  const firstMatch = /^([a-z]*)(\d+)$/.exec(first);
  const lastMatch = /^([a-z]*)(\d+)$/.exec(last);
  if (firstMatch && lastMatch && (lastMatch[1] === '' || lastMatch[1] === firstMatch[1])) {
    const [, prefix, firstDigits] = firstMatch;
    let lastDigits = lastMatch[2];
    if (lastDigits.length < firstDigits.length) lastDigits = firstDigits.slice(0, firstDigits.length - lastDigits.length) + lastDigits;
    last = prefix + lastDigits;
  }
  return { first, last };
}

// ---------------------------------------------------------------------------------------------

export function dedupFields(record: BibRecord): DedupFields {
  const title = normaliseDedupTitle(record.title ?? '');
  const families: string[] = [];
  let nameWords = ' ';
  const authorWords: string[] = [];
  for (const author of record.authors) {
    if (families.length >= MAX_AUTHORS) break;
    if (isPlaceholderAuthor(author)) continue;
    const { family, words } = authorName(author);
    if (!family) continue;
    families.push(family);
    nameWords += `${family} ${words.join(' ')} `;
    const significant = words.filter((word) => word.length >= 3 && !NAME_PARTICLES.has(word));
    authorWords.push(significant.length > 0 ? significant.join(' ') : family);
  }
  const pages = pageRange(record.pages);
  return {
    title,
    titleKey: title.replace(/ /g, ''),
    titleNumbers: numbersOf(title),
    notice: noticeKind(title),
    families,
    authorWords,
    nameWords,
    journal: record.journal ? journalWords(record.journal).join(' ') : '',
    year: record.year,
    volume: normaliseNumberField(record.volume),
    issue: normaliseNumberField(record.issue),
    firstPage: pages.first,
    lastPage: pages.last,
    doi: record.doi?.toLowerCase(),
    pmid: record.pmid,
    abstract: record.abstract && record.abstract.length >= 100 ? record.abstract : undefined,
  };
}
