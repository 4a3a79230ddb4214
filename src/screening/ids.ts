/**
 * Stable record ids. The same paper gets the same id after re-import, after its file is reordered
 * and on another machine: from the normalised DOI, else the PMID, else a hash of the normalised
 * title, year and first author's family name. Ids are readable in decisions files and git diffs.
 */
import { createHash } from 'node:crypto';
import { familyName, type BibRecord, type ParsedRecord } from './record';

/** Lower case, accents stripped, punctuation dropped, white space collapsed. */
export function normaliseTitle(title: string): string {
  const ascii = asciiTitleKey(title);
  if (ascii !== undefined) return ascii;
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/<[^>]*>/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * normaliseTitle of an ASCII title: NFKD and the accent removal leave ASCII as it is, and in ASCII \p{L}
 * and \p{N} are the letters and digits, so plain regexes do the rest, without the cost of Unicode
 * normalisation and property classes. Undefined for a title with a non-ASCII character.
 */
function asciiTitleKey(title: string): string | undefined {
  if (NON_ASCII.test(title)) return undefined;
  return title
    .toLowerCase()
    .replace(/<[^>]*>/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function normaliseName(name: string): string {
  return normaliseTitle(name).replace(/ /g, '');
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** The id a record would get if nothing else in the review shared it. */
export function baseRecordId(record: ParsedRecord): string {
  if (record.doi) return `doi:${record.doi}`;
  if (record.pmid) return `pmid:${record.pmid}`;
  const firstAuthor = record.authors.length > 0 ? normaliseName(familyName(record.authors[0])) : '';
  const key = `${normaliseTitle(record.title)}|${record.year ?? ''}|${firstAuthor}`;
  return `ref:${sha1(key).slice(0, 12)}`;
}

/** A hash of the record's content (not its position in its file). */
function contentHash(record: ParsedRecord): string {
  const { provenance: _provenance, ...content } = record;
  return sha1(JSON.stringify(content));
}

/**
 * Gives every record a review-unique id. Records sharing a base id (the same DOI in two files, two
 * identical web pages) are ordered by their file's place among the sources (the order they were
 * imported in, so a later import never renames earlier records), then by content, never by their
 * position in the file; the first keeps the base id, the others get `~2`, `~3`….
 */
export function assignIds(records: readonly ParsedRecord[]): BibRecord[] {
  const sourceRank = new Map<string, number>();
  for (const record of records) {
    if (!sourceRank.has(record.provenance.file)) sourceRank.set(record.provenance.file, sourceRank.size);
  }
  const groups = new Map<string, number[]>();
  const baseIds = records.map((record, index) => {
    const id = baseRecordId(record);
    const group = groups.get(id);
    if (group) group.push(index);
    else groups.set(id, [index]);
    return id;
  });
  const ids = baseIds.slice();
  for (const [id, members] of groups) {
    if (members.length < 2) continue;
    const keyed = members.map((index) => ({ index, rank: sourceRank.get(records[index].provenance.file)!, hash: contentHash(records[index]) }));
    keyed.sort((a, b) => a.rank - b.rank || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : a.index - b.index));
    keyed.forEach(({ index }, rank) => {
      ids[index] = rank === 0 ? id : `${id}~${rank + 1}`;
    });
  }
  return records.map((record, index) => ({ id: ids[index], ...record }));
}
