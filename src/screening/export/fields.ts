/** How record fields are written so that importers (ours, Zotero's, EndNote's) read them back unchanged. */
import { normaliseAuthor } from '../../parsers/normalise';

/**
 * An author for formats that split "Family, Given" at the comma: a name without a comma that an
 * importer would turn round ("Tactile Labs" into "Labs, Tactile") gets a trailing comma, which
 * marks it as a family name alone (how Zotero writes single-field names).
 */
export function exportAuthor(author: string): string {
  if (author.includes(',')) return author;
  return normaliseAuthor(author) === author ? author : `${author},`;
}

/**
 * A list in one cell or field: "; " between the items (importers split on semicolons first), and a
 * trailing ";" when a single item holds a comma, so it is not split on the comma.
 */
export function joinList(items: readonly string[], splitsAlone: RegExp = /,/): string {
  const joined = items.join('; ');
  return items.length === 1 && splitsAlone.test(joined) ? `${joined};` : joined;
}

/** What splits a lone author in a CSV cell: a comma, " and ", a bar. */
export const AUTHOR_SEPARATORS = /,|\s+and\s+|\|/i;
