/**
 * PubMed / MEDLINE XML (efetch `PubmedArticleSet`, with `PubmedArticle` and `PubmedBookArticle`, and
 * the older `MedlineCitationSet`).
 *
 * XML is read by fast-xml-parser one article at a time, through the element helpers of the EndNote XML
 * importer: the text is cut into article elements first, so a malformed or truncated article is reported
 * with its line while the others still import. Titles and abstracts are flattened from their inline
 * markup (<i>, <sup>, MathML) to text.
 */
import type { ParsedRecord } from '../screening/record';
import { all, attr, child, pathAll, readXmlRecords, tagOf, textAt, textOf, type XNode } from './endnote-xml';
import { cleanText, normaliseDoi, normalisePmid, parseYear, stripMarkup } from './normalise';
import type { Importer, ParseResult } from './types';

function authorName(author: XNode): string | undefined {
  const collective = textAt(author, 'CollectiveName');
  if (collective) return collective;
  const last = textAt(author, 'LastName');
  const given = textAt(author, 'ForeName') ?? textAt(author, 'Initials');
  const suffix = textAt(author, 'Suffix');
  if (!last) return given;
  return `${last}${given ? `, ${given}` : ''}${suffix ? ` ${suffix}` : ''}`;
}

function authorsOf(list: XNode | undefined): string[] {
  return all(list, 'Author')
    .map(authorName)
    .filter((a): a is string => !!a);
}

/** Structured abstracts: "BACKGROUND: … METHODS: …" from the Label attributes. */
function abstractOf(abstract: XNode | undefined): string | undefined {
  const parts = all(abstract, 'AbstractText')
    .map((part) => {
      const text = stripMarkup(textOf(part));
      if (!text) return undefined;
      const label = attr(part, 'Label');
      return label && label.toUpperCase() !== 'UNLABELLED' ? `${label}: ${text}` : text;
    })
    .filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function idOfType(nodes: XNode[], type: string, attribute: string): string | undefined {
  const node = nodes.find((n) => (attr(n, attribute) ?? '').toLowerCase() === type);
  return node ? cleanText(textOf(node)) : undefined;
}

function pagesOf(pagination: XNode | undefined): string | undefined {
  const medline = textAt(pagination, 'MedlinePgn');
  if (medline) return medline;
  const start = textAt(pagination, 'StartPage');
  const end = textAt(pagination, 'EndPage');
  return start ? (end && end !== start ? `${start}-${end}` : start) : undefined;
}

function yearOf(date: XNode | undefined): number | undefined {
  return parseYear(textAt(date, 'Year')) ?? parseYear(textAt(date, 'MedlineDate'));
}

/** MeSH headings in MEDLINE's MH form: "Kidney Diseases/diagnosis/therapy", "*" marking major topics. */
function meshHeadings(list: XNode | undefined): { descriptors: string[]; headings: string[] } {
  const descriptors: string[] = [];
  const headings: string[] = [];
  for (const heading of all(list, 'MeshHeading')) {
    const descriptorNode = child(heading, 'DescriptorName');
    const descriptor = stripMarkup(textOf(descriptorNode));
    if (!descriptor) continue;
    descriptors.push(descriptor);
    const major = attr(descriptorNode, 'MajorTopicYN') === 'Y';
    const qualifiers = all(heading, 'QualifierName').map((q) => `${attr(q, 'MajorTopicYN') === 'Y' ? '*' : ''}${stripMarkup(textOf(q)) ?? ''}`);
    headings.push([`${major ? '*' : ''}${descriptor}`, ...qualifiers].join('/'));
  }
  return { descriptors, headings };
}

function joined(values: Array<string | undefined>): string | undefined {
  const kept = [...new Set(values.map((v) => cleanText(v)).filter((v): v is string => !!v))];
  return kept.length > 0 ? kept.join('; ') : undefined;
}

function articleRecord(node: XNode, file: string, line: number, index: number): ParsedRecord {
  const isBook = tagOf(node) === 'PubmedBookArticle';
  const citation = isBook ? child(node, 'BookDocument') : tagOf(node) === 'MedlineCitation' ? node : child(node, 'MedlineCitation');
  const pubmedData = child(node, isBook ? 'PubmedBookData' : 'PubmedData');
  const article = isBook ? citation : child(citation, 'Article');
  const book = isBook ? child(citation, 'Book') : undefined;
  const metadata: Record<string, string> = {};

  let title = textAt(article, 'ArticleTitle') ?? textAt(article, 'VernacularTitle');
  let journal: string | undefined;
  let type: ParsedRecord['type'] = 'journal-article';
  if (isBook) {
    const bookTitle = textAt(book, 'BookTitle');
    if (title) {
      journal = bookTitle;
      type = 'book-chapter';
    } else {
      title = bookTitle;
      type = 'book';
    }
  } else {
    journal = textAt(article, 'Journal/Title') ?? textAt(article, 'Journal/ISOAbbreviation') ?? textAt(citation, 'MedlineJournalInfo/MedlineTA');
  }
  const vernacular = textAt(article, 'VernacularTitle');
  if (vernacular && vernacular !== title) metadata['vernacular-title'] = vernacular;

  const authors = authorsOf(child(article, 'AuthorList')).concat(isBook && !child(article, 'AuthorList') ? authorsOf(child(book, 'AuthorList')) : []);
  const pmidRaw = textAt(citation, 'PMID') ?? idOfType(pathAll(pubmedData, 'ArticleIdList/ArticleId'), 'pubmed', 'IdType');
  const locationIds = all(article, 'ELocationID').concat(all(book, 'ELocationID'));
  const articleIds = pathAll(pubmedData, 'ArticleIdList/ArticleId').concat(pathAll(citation, 'ArticleIdList/ArticleId'));
  const doi = normaliseDoi(idOfType(locationIds, 'doi', 'EIdType')) ?? normaliseDoi(idOfType(articleIds, 'doi', 'IdType'));

  const { descriptors, headings } = meshHeadings(child(citation, 'MeshHeadingList'));
  const keywords = pathAll(citation, 'KeywordList/Keyword')
    .map((k) => stripMarkup(textOf(k)))
    .filter((k): k is string => !!k);

  const record: ParsedRecord = {
    title: title ?? '',
    authors,
    keywords: [...new Set([...keywords, ...descriptors])],
    type,
    provenance: { file, format: 'pubmed-xml', line, index },
  };
  const issue = child(article, 'Journal/JournalIssue');
  const year = isBook ? yearOf(child(book, 'PubDate')) : yearOf(child(issue, 'PubDate')) ?? yearOf(child(article, 'ArticleDate'));
  if (year) record.year = year;
  if (journal) record.journal = journal;
  const volume = textAt(issue, 'Volume') ?? textAt(book, 'Volume');
  if (volume) record.volume = volume;
  const issueNumber = textAt(issue, 'Issue');
  if (issueNumber) record.issue = issueNumber;
  const pages = pagesOf(child(article, 'Pagination'));
  if (pages) record.pages = pages;
  if (doi) record.doi = doi;
  const pmid = normalisePmid(pmidRaw);
  if (pmid) record.pmid = pmid;
  const abstract = abstractOf(child(article, 'Abstract'));
  if (abstract) record.abstract = abstract;
  const url = idOfType(articleIds, 'url', 'IdType');
  if (url) record.url = url;

  const set = (key: string, value: string | undefined) => {
    if (value) metadata[key] = value;
  };
  set('mesh', headings.length > 0 ? headings.join('; ') : undefined);
  set('journal-abbreviation', textAt(article, 'Journal/ISOAbbreviation'));
  set('issn', joined(all(child(article, 'Journal'), 'ISSN').map((n) => textOf(n))));
  set('publication-types', joined(pathAll(article, 'PublicationTypeList/PublicationType').concat(all(citation, 'PublicationType')).map((n) => textOf(n))));
  set('language', joined(all(article, 'Language').concat(all(citation, 'Language')).map((n) => textOf(n))));
  set('chemicals', joined(pathAll(citation, 'ChemicalList/Chemical/NameOfSubstance').map((n) => textOf(n))));
  set('pmcid', idOfType(articleIds, 'pmc', 'IdType'));
  set('publication-status', textAt(pubmedData, 'PublicationStatus'));
  set('copyright', textAt(article, 'Abstract/CopyrightInformation'));
  set('affiliations', joined(pathAll(article, 'AuthorList/Author/AffiliationInfo/Affiliation').map((n) => textOf(n))));
  set('publisher', textAt(book, 'Publisher/PublisherName'));
  set('collection-title', textAt(book, 'CollectionTitle'));
  set('isbn', joined(all(book, 'Isbn').map((n) => textOf(n))));
  set('medline-date', textAt(issue, 'PubDate/MedlineDate'));
  set('status', attr(citation, 'Status'));
  if (Object.keys(metadata).length > 0) record.metadata = metadata;
  return record;
}

function parse(text: string, file: string): ParseResult {
  const hasArticles = /<Pubmed(?:Book)?Article[\s>]/.test(text);
  const names = hasArticles ? ['PubmedArticle', 'PubmedBookArticle'] : ['MedlineCitation'];
  return readXmlRecords(text, file, names, '<PubmedArticle>', (node, line, index) => articleRecord(node, file, line, index));
}

function sniff(text: string): number {
  const head = text.slice(0, 65536);
  if (/<(PubmedArticleSet|PubmedBookArticleSet|MedlineCitationSet)[\s>]|<!DOCTYPE\s+(PubmedArticleSet|MedlineCitationSet)/.test(head)) return 0.95;
  if (/<Pubmed(Book)?Article[\s>]/.test(head)) return 0.9;
  if (/<MedlineCitation[\s>]/.test(head) && /<PMID[\s>]/.test(head)) return 0.8;
  return 0;
}

export const pubmedXmlImporter: Importer = {
  format: 'pubmed-xml',
  label: 'PubMed XML',
  sniff,
  parse,
};
