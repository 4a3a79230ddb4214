/**
 * EndNote XML export (the <xml><records><record> form EndNote writes and imports), built with
 * fast-xml-parser's XMLBuilder, which escapes the text. The screening outcome goes into <notes>,
 * which EndNote shows as Notes; the PMID into accession-num with the PubMed database name, as
 * EndNote's own PubMed import does.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { RecordType } from '../record';
import { exportAuthor } from './fields';
import { outcomeLines, type ExportItem } from './outcome';

/** EndNote's reference type numbers and names. */
const REF_TYPE: Record<RecordType, [number, string]> = {
  'journal-article': [17, 'Journal Article'],
  book: [6, 'Book'],
  'book-chapter': [5, 'Book Section'],
  'conference-paper': [47, 'Conference Paper'],
  thesis: [32, 'Thesis'],
  report: [10, 'Report'],
  preprint: [13, 'Generic'],
  dataset: [59, 'Dataset'],
  'web-page': [12, 'Web Page'],
  'grey-literature': [13, 'Generic'],
  other: [13, 'Generic'],
};

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true, processEntities: true });

export function endnoteXml(items: readonly ExportItem[]): string {
  const records = items.map(({ record, screening }, index) => {
    const [typeNumber, typeName] = REF_TYPE[record.type] ?? REF_TYPE.other;
    const node: Record<string, unknown> = {
      'rec-number': index + 1,
      'ref-type': { '@_name': typeName, '#text': typeNumber },
    };
    if (record.authors.length > 0) node.contributors = { authors: { author: record.authors.map(exportAuthor) } };
    node.titles = { title: record.title, ...(record.journal ? { 'secondary-title': record.journal } : {}) };
    if (record.journal) node.periodical = { 'full-title': record.journal };
    if (record.pages) node.pages = record.pages;
    if (record.volume) node.volume = record.volume;
    if (record.issue) node.number = record.issue;
    if (record.keywords.length > 0) node.keywords = { keyword: record.keywords };
    if (record.year !== undefined) node.dates = { year: record.year };
    if (record.pmid) {
      node['accession-num'] = record.pmid;
      node['remote-database-name'] = 'PubMed';
    }
    if (record.doi) node['electronic-resource-num'] = record.doi;
    if (record.abstract) node.abstract = record.abstract;
    if (screening) node.notes = outcomeLines(screening).join('\n');
    if (record.url) node.urls = { 'related-urls': { url: record.url } };
    node.label = record.id;
    return node;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ xml: { records: { record: records } } })}`;
}
