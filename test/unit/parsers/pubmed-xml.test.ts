import { describe, expect, it } from 'vitest';
import { importText } from '../../../src/parsers/index';
import { pubmedXmlImporter } from '../../../src/parsers/pubmed-xml';

const article = (pmid: string, title: string, abstract = '<AbstractText>Plain.</AbstractText>') => `  <PubmedArticle>
    <MedlineCitation Status="MEDLINE" Owner="NLM">
      <PMID Version="1">${pmid}</PMID>
      <Article PubModel="Print">
        <Journal>
          <ISSN IssnType="Print">1234-5678</ISSN>
          <JournalIssue CitedMedium="Print"><Volume>12</Volume><Issue>3</Issue><PubDate><Year>2021</Year><Month>Mar</Month></PubDate></JournalIssue>
          <Title>Journal of Testing</Title>
          <ISOAbbreviation>J Test</ISOAbbreviation>
        </Journal>
        <ArticleTitle>${title}</ArticleTitle>
        <Pagination><StartPage>100</StartPage><EndPage>110</EndPage></Pagination>
        <ELocationID EIdType="doi" ValidYN="Y">10.1000/TEST.${pmid}</ELocationID>
        <Abstract>${abstract}</Abstract>
        <AuthorList CompleteYN="Y">
          <Author ValidYN="Y"><LastName>Müller</LastName><ForeName>Anna B</ForeName><Initials>AB</Initials></Author>
          <Author ValidYN="Y"><LastName>Smith</LastName><Initials>J</Initials></Author>
          <Author ValidYN="Y"><CollectiveName>The Trial Group</CollectiveName></Author>
        </AuthorList>
        <Language>eng</Language>
        <PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList>
      </Article>
      <KeywordList Owner="NOTNLM"><Keyword MajorTopicYN="N">screening</Keyword></KeywordList>
    </MedlineCitation>
    <PubmedData>
      <ArticleIdList><ArticleId IdType="pubmed">${pmid}</ArticleId><ArticleId IdType="pmc">PMC1</ArticleId></ArticleIdList>
    </PubmedData>
  </PubmedArticle>
`;

const set = (...articles: string[]) =>
  `<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2024//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_240101.dtd">\n<PubmedArticleSet>\n${articles.join('')}</PubmedArticleSet>\n`;

describe('PubMed XML importer', () => {
  it('reads an article: title, authors, journal, dates, pages, DOI, PMID, keywords', () => {
    const { records, problems } = pubmedXmlImporter.parse(set(article('111', 'A <i>trial</i> of H<sub>2</sub>O.')), 'pubmed.xml');
    expect(problems).toEqual([]);
    expect(records).toEqual([
      expect.objectContaining({
        title: 'A trial of H2O.',
        authors: ['Müller, Anna B', 'Smith, J', 'The Trial Group'],
        journal: 'Journal of Testing',
        year: 2021,
        volume: '12',
        issue: '3',
        pages: '100-110',
        doi: '10.1000/test.111',
        pmid: '111',
        keywords: ['screening'],
        type: 'journal-article',
        provenance: { file: 'pubmed.xml', format: 'pubmed-xml', line: 4, index: 0 },
      }),
    ]);
    expect(records[0].metadata).toMatchObject({ 'journal-abbreviation': 'J Test', pmcid: 'PMC1', language: 'eng' });
  });

  it('structured abstracts join their sections with the labels', () => {
    const abstract =
      '<AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">Why we did it.</AbstractText>' +
      '<AbstractText Label="METHODS" NlmCategory="METHODS">How, with <i>p</i> &lt; 0.05.</AbstractText>' +
      '<AbstractText Label="CONCLUSIONS" NlmCategory="CONCLUSIONS">It works.</AbstractText>';
    const [record] = pubmedXmlImporter.parse(set(article('222', 'Structured', abstract)), 'x.xml').records;
    expect(record.abstract).toBe('BACKGROUND: Why we did it. METHODS: How, with p < 0.05. CONCLUSIONS: It works.');
  });

  it('a truncated file yields the complete articles before the cut', () => {
    const whole = set(article('1', 'First'), article('2', 'Second'), article('3', 'Third'));
    const cut = whole.slice(0, whole.indexOf('Third') + 3);
    const { records, problems } = pubmedXmlImporter.parse(cut, 'cut.xml');
    expect(records.map((r) => r.title)).toEqual(['First', 'Second']);
    expect(problems).toEqual([expect.objectContaining({ line: 60, severity: 'error', message: expect.stringMatching(/PubmedArticle.*no closing tag/) })]);
  });

  it('VernacularTitle when ArticleTitle is empty; MedlineDate years; MeSH headings', () => {
    const xml = set(
      article('5', '', '')
        .replace('</ArticleTitle>', '</ArticleTitle><VernacularTitle>Titre français</VernacularTitle>')
        .replace('<Year>2021</Year><Month>Mar</Month>', '<MedlineDate>1998 Dec-1999 Jan</MedlineDate>')
        .replace(
          '</MedlineCitation>',
          '<MeshHeadingList><MeshHeading><DescriptorName MajorTopicYN="Y">Mass Screening</DescriptorName><QualifierName MajorTopicYN="N">methods</QualifierName></MeshHeading></MeshHeadingList></MedlineCitation>',
        ),
    );
    const [record] = pubmedXmlImporter.parse(xml, 'x.xml').records;
    expect(record).toMatchObject({ title: 'Titre français', year: 1998, keywords: ['screening', 'Mass Screening'] });
    expect(record.metadata?.mesh).toBe('*Mass Screening/methods');
  });

  it('PubmedBookArticle: a chapter of a book', () => {
    const xml = `<PubmedBookArticleSet><PubmedBookArticle><BookDocument><PMID Version="1">999</PMID>
<ArticleTitle>A chapter</ArticleTitle><Book><BookTitle book="x">The Book</BookTitle><PubDate><Year>2010</Year></PubDate></Book>
<AuthorList Type="authors"><Author><LastName>Doe</LastName><ForeName>Jane</ForeName></Author></AuthorList>
</BookDocument></PubmedBookArticle></PubmedBookArticleSet>`;
    const [record] = pubmedXmlImporter.parse(xml, 'book.xml').records;
    expect(record).toMatchObject({ title: 'A chapter', journal: 'The Book', year: 2010, pmid: '999', authors: ['Doe, Jane'], type: 'book-chapter' });
  });

  it('sniffs PubMed XML only', () => {
    expect(pubmedXmlImporter.sniff(set(article('1', 'x')))).toBeGreaterThanOrEqual(0.5);
    expect(pubmedXmlImporter.sniff('<xml><records><record><titles/></record></records></xml>')).toBe(0);
    expect(pubmedXmlImporter.sniff('PMID- 123\nTI  - Title\n')).toBe(0);
    expect(importText(set(article('1', 'Picked')), 'x.xml').format).toBe('pubmed-xml');
  });
});
