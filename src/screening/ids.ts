/**
 * Stable record ids. The same paper gets the same id after re-import, after its file is reordered
 * and on another machine: from the normalised DOI, else the PMID, else a hash of the normalised
 * title, year and first author's family name. Ids are readable in decisions files and git diffs.
 */
import { createHash } from 'node:crypto';
import { familyName, type BibRecord, type ParsedRecord } from './record';

/** Lower case, accents stripped, punctuation dropped, white space collapsed. */
export function normaliseTitle(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/<[^>]*>/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
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

/** A hash of the record's content (not its position), to order records that share a base id. */
function contentKey(record: ParsedRecord): string {
  const { provenance, ...content } = record;
  return `${provenance.file}\u0000${sha1(JSON.stringify(content))}`;
}

/**
 * Gives every record a review-unique id. Records sharing a base id (the same DOI in two files, two
 * identical web pages) are ordered by file and content, never by position, and numbered `~2`, `~3`….
 */
export function assignIds(records: readonly ParsedRecord[]): BibRecord[] {
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
    const keyed = members.map((index) => ({ index, key: contentKey(records[index]) }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index));
    keyed.forEach(({ index }, rank) => {
      ids[index] = rank === 0 ? id : `${id}~${rank + 1}`;
    });
  }
  return records.map((record, index) => ({ id: ids[index], ...record }));
}
