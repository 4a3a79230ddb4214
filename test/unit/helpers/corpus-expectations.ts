/**
 * What the corpus really holds where MANIFEST.tsv's heuristic says otherwise, each checked by hand
 * by reading the file. Shared by the whole-manifest conformance test and the per-format corpus tests.
 */

export interface CheckedCount {
  count: number;
  reason: string;
}

/** Files whose record count in the manifest is wrong. */
export const COUNT_CORRECTIONS: Record<string, CheckedCount> = {
  'medline/jabref__MedlinePlainImporterTestMultipleEntries.txt': {
    count: 7,
    reason: '5 PMID lines, plus two blank-line separated records without PMID (the "PMC -" and "PMCR-" blocks); JabRef expects 7 too',
  },
  'other/colrev__enl_data.enl': {
    count: 3,
    reason: 'three blank-line separated records; the third ("MISQ Volume 45, Issue 3 Table of Contents") has %T, %B, %D… but no %0 line',
  },
  'other/jabref__Endnote.entries.enw': {
    count: 5,
    reason: '13 %0 lines, 8 of them type-only lines with no field after them; 5 records hold data (JabRef expects 5)',
  },
  'ris/asreview__baseline_reference_types.ris': {
    count: 59,
    reason: '61 TY..ER blocks, of which "TY  -/ER  -" and "TY  - GEN/ER  -" hold no data at all (skipped with a warning)',
  },
  'ris/colrev__ris_data.ris': {
    count: 2,
    reason: 'two TY records; the first has no ER (imported with a warning), the count of ER lines misses it',
  },
  'ris/jabref__RisImporterTest1.ris': {
    count: 3,
    reason: '11 TY lines, but the first 8 are consecutive type-only lines without data; 3 records (CONF, OTHER, THES) hold data',
  },
  'bibtex/zotero-better-bibtex__web_page and other mendeley idiocy.bib': {
    count: 512,
    reason: 'the file has 512 @entries; the manifest count skipped the 47 whose type has an underscore (@book_section, @magazine_article, @newspaper_article, @web_page)',
  },
  'csv/citation-file-formatting___baseline_excel.csv': {
    count: 10,
    reason: 'the header is on line 4 after a SEARCH QUERY preamble; the manifest counted two preamble lines as rows',
  },
  'csv/citation-file-formatting___baseline_abstrackr.csv': {
    count: 10,
    reason: '10 citations (internal ids 41893415-41893424); the manifest counted the "citations that are not yet labeled by anyone" separator line as a row',
  },
};

/** Files whose source really has records without any title, and how many. */
export const UNTITLED_IN_SOURCE: Record<string, CheckedCount> = {
  'medline/jabref__MedlinePlainImporterTestDOI.txt': { count: 1, reason: 'only PMID, PT and AID' },
  'medline/jabref__MedlinePlainImporterTestInproceeding.txt': { count: 1, reason: 'only PMID, PT and JT' },
  'medline/jabref__MedlinePlainImporterTestMultiAbstract.txt': { count: 1, reason: 'empty "TI-" tag' },
  'medline/jabref__MedlinePlainImporterTestMultipleEntries.txt': { count: 5, reason: 'PMC block has an empty TI; four PMID blocks have no TI' },
  'other/jabref__Endnote.entries.enw': { count: 4, reason: 'records 2-5 have no %T' },
  'other/jabref__OvidImporterTest1.txt': { count: 2, reason: 'records <1334> and <1333> have no Title or Chapter Title' },
  'ris/asreview__baseline_empty_values.ris': { count: 2, reason: 'records 2 and 4: empty or missing TI' },
  'ris/asreview__baseline_reference_types.ris': { count: 59, reason: 'type test records with an N1 note only' },
  'ris/asreview__baseline_tag-notes.ris': { count: 11, reason: 'note test records with N1 only' },
  'ris/asreview__baseline_tag_and_field_definitions_lists.ris': { count: 1, reason: 'list tags only, no title tag' },
  'ris/jabref__RisImporterTest1.ris': { count: 2, reason: 'the OTHER and THES records have no title tag' },
  'ris/jabref__RisImporterTestDoiAndJournalTitle.ris': { count: 1, reason: 'a patent with T2 only' },
  'ris/rispy__example_custom_list_tags.ris': { count: 1, reason: 'AU and SN only' },
  'ris/rispy__example_multiline.ris': { count: 3, reason: 'N1 and N2 only' },
  'ris/zotero-translators__RIS__testcase05.ris': { count: 1, reason: 'the PCOMM (personal communication) record has no title' },
  'ris/zotero-translators__RIS__testcase10.ris': { count: 1, reason: 'second record has T2 and PY only' },
  'bibtex/bibtexparser__biber-examples.bib': { count: 18, reason: 'biber\'s name/date/pages test entries (tmn4, alias1, url1, pages1-9, …)' },
  'bibtex/jabref__BibtexImporter.examples.bib': { count: 2, reason: 'two @set entries (entryset + annotation only)' },
  'bibtex/jabref__encoding-windows-1252-but-utf-8-declared--decoding-fails.bib': { count: 1, reason: 'only an author field' },
  'bibtex/jabref__encoding-windows-1252-without-header.bib': { count: 1, reason: 'only an abstract field' },
  "bibtex/zotero-better-bibtex__Import error with character '+' in BibTeX field name #2660.bib": { count: 74, reason: 'biber name-format test entries' },
  'csl_json/zotero-better-bibtex__Export of creator-type fields from embedded CSL variables #365 uppercase DOI #825.csl.json': { count: 1, reason: '"emptybook"' },
  'csv/asreview__duplicate_records.csv': { count: 4, reason: 'rows with an empty title cell' },
  'csv/asreview__missing_values.csv': { count: 2, reason: 'rows with an empty title cell' },
  'endnote_xml/kwb.endnote__2019-01-14_KWB_documents.xml': { count: 3, reason: 'conference records with only a <secondary-title>' },
  'other/jabref__MedlineImporterTestBookArticleSet.xml': { count: 1, reason: 'second PubmedBookArticle has no title' },
  'other/jabref__MedlineImporterTestMinimalEntry.xml': { count: 1, reason: 'an empty <PubmedArticle>' },
  'labeled/srd_Cohen_2006_online__ADHD.csv': { count: 24, reason: 'the source has records without a title' },
  'labeled/srd_Cohen_2006_online__Antihistamines.csv': { count: 10, reason: 'the source has records without a title' },
  'labeled/srd_Cohen_2006_online__AtypicalAntipsychotics.csv': { count: 34, reason: 'the source has records without a title' },
  'labeled/srd_Cohen_2006_online__BetaBlockers.csv': { count: 60, reason: 'the source has records without a title' },
  'labeled/srd_Cohen_2006_online__CalciumChannelBlockers.csv': { count: 43, reason: 'the source has records without a title' },
  'labeled/srd_Cohen_2006_online__Estrogens.csv': { count: 14, reason: 'the source has records without a title' },
  'labeled/srd_Cohen_2006_online__NSAIDS.csv': { count: 12, reason: 'the source has records without a title' },
  'labeled/srd_Cohen_2006_online__OralHypoglycemics.csv': { count: 13, reason: 'the source has records without a title' },
  'labeled/srd_Cohen_2006_online__ProtonPumpInhibitors.csv': { count: 44, reason: 'the source has records without a title' },
  'labeled/srd_Cohen_2006_online__SkeletalMuscleRelaxants.csv': { count: 40, reason: 'the source has records without a title' },
  'labeled/srd_Cohen_2006_online__UrinaryIncontinence.csv': { count: 18, reason: 'the source has records without a title' },
};
