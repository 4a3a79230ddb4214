/**
 * `npm run bench:fulltext`: how well PDFs are matched to records. 500 article PDFs of real records
 * (titles, abstracts, DOIs and PMIDs from ../shared/corpus), made with @cantoo/pdf-lib the ways
 * full texts arrive: named by DOI or PMID, named by the publisher ("download (3).pdf") with the DOI
 * printed, with only the title on the page (wrapped over lines), with only metadata (a scan), plus
 * PDFs of papers outside the review that must stay unmatched. The review holds every other corpus
 * record as a look-alike candidate. Prints the match rate, the wrong matches and the time per PDF.
 * The 500-page viewer figures come next, from test/e2e/fulltext.bench.ts (the real VS Code).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importFiles } from '../src/screening/import-records';
import { matchPdfs, type PdfMatch } from '../src/screening/fulltext/match';
import { readPdfFacts, type PdfFacts } from '../src/screening/fulltext/pdf-text';
import type { BibRecord } from '../src/screening/record';
import { articlePdf } from '../test/support/make-pdf';
import { LABELED_DIR, seededRandom } from './lib/corpus-records';

const CORPUS = join(LABELED_DIR, '..');
const SOURCES = [
  'ris/CiteSource__RM.ris',
  'labeled/srd_Cohen_2006_online__ADHD.csv',
  'labeled/srd_Cohen_2006_online__BetaBlockers.csv',
  'labeled/srd_Cohen_2006_online__ProtonPumpInhibitors.csv',
  'labeled/srd_Cohen_2006_online__OralHypoglycemics.csv',
];
const PDFS = Number(process.env.BENCH_PDFS ?? 500);
const FOREIGN = 25;

type Kind = 'named-doi' | 'named-pmid' | 'publisher-name-doi-printed' | 'title-only' | 'metadata-only';

async function main(): Promise<void> {
  const outcome = importFiles(SOURCES.map((file) => ({ file: file.split('/')[1], bytes: readFileSync(join(CORPUS, file)) })));
  const records = outcome.records.filter((record) => record.title.length >= 30);
  const random = seededRandom(14);
  const shuffled = [...records].sort(() => random() - 0.5);
  const foreign = shuffled.slice(0, FOREIGN);
  const inReview = records.filter((record) => !foreign.includes(record));
  // Half of the PDFs from the records with a DOI (the Mendeley export), half from the PubMed sets.
  const rest = shuffled.slice(FOREIGN);
  const doiRecords = rest.filter((record) => record.doi).slice(0, Math.floor(PDFS / 2));
  const withPdf = [...doiRecords, ...rest.filter((record) => !record.doi).slice(0, PDFS - doiRecords.length)];
  const files = new Map<string, Uint8Array>();
  const truth = new Map<string, string>();
  const kinds = new Map<string, Kind>();
  let n = 0;
  const t0 = performance.now();
  for (const record of withPdf) {
    const roll = random();
    let kind: Kind;
    if (roll < 0.15) kind = record.doi ? 'named-doi' : record.pmid ? 'named-pmid' : 'title-only';
    else if (roll < 0.25) kind = record.pmid ? 'named-pmid' : 'title-only';
    else if (roll < 0.45) kind = record.doi ? 'publisher-name-doi-printed' : 'title-only';
    else if (roll < 0.9) kind = 'title-only';
    else kind = 'metadata-only';
    const name =
      kind === 'named-doi' ? `${record.doi!.replace(/\//g, '_')}.pdf` : kind === 'named-pmid' ? `PMID${record.pmid}.pdf` : kind === 'publisher-name-doi-printed' ? `download (${n}).pdf` : `article_${n}.pdf`;
    const file = `fulltext/${name}`;
    n++;
    files.set(file, await articlePdf(bench(record), { doiOnPage: kind === 'publisher-name-doi-printed', metadata: kind === 'metadata-only', noTextLayer: kind === 'named-doi' || kind === 'named-pmid' }));
    truth.set(file, record.id);
    kinds.set(file, kind);
  }
  for (const record of foreign) files.set(`fulltext/foreign_${n++}.pdf`, await articlePdf(bench(record), { doiOnPage: true }));
  const made = performance.now() - t0;

  const facts = new Map<string, PdfFacts>();
  const t1 = performance.now();
  const result = await matchPdfs({
    records: inReview,
    pdfs: [...files.keys()],
    facts: async (file) => {
      const read = await readPdfFacts(files.get(file)!);
      facts.set(file, read);
      return read;
    },
  });
  const elapsed = performance.now() - t1;

  const wrong: PdfMatch[] = result.matches.filter((match) => truth.get(match.file) !== match.record);
  const matched = result.matches.filter((match) => truth.get(match.file) === match.record).length;
  const missed = [...truth.keys()].filter((file) => !result.matches.some((match) => match.file === file));
  console.log(`bench:fulltext — ${PDFS} PDFs of real records + ${FOREIGN} PDFs of papers outside the review; ${inReview.length.toLocaleString('en-US')} records in the review`);
  console.log(`  made the PDFs in ${(made / 1000).toFixed(1)} s; matched in ${(elapsed / 1000).toFixed(1)} s (${(elapsed / files.size).toFixed(1)} ms per PDF, ${facts.size} read)`);
  console.log(`  matched: ${matched} / ${PDFS} = ${((100 * matched) / PDFS).toFixed(1)} % (goal ≥ 95 %)`);
  console.log(`  wrong matches: ${wrong.length} (goal 0)${wrong.length ? ` — ${wrong.map((m) => `${m.file} → ${m.record} by ${m.method}`).join('; ')}` : ''}`);
  const byKind = new Map<Kind, { total: number; matched: number }>();
  for (const [file, kind] of kinds) {
    const entry = byKind.get(kind) ?? { total: 0, matched: 0 };
    entry.total++;
    if (result.matches.some((match) => match.file === file && match.record === truth.get(file))) entry.matched++;
    byKind.set(kind, entry);
  }
  for (const [kind, entry] of byKind) console.log(`    ${kind.padEnd(28)} ${entry.matched} / ${entry.total}`);
  const methods = new Map<string, number>();
  for (const match of result.matches) methods.set(match.method, (methods.get(match.method) ?? 0) + 1);
  console.log(`  by method: ${[...methods].map(([method, count]) => `${method} ${count}`).join(', ')}`);
  const foreignMatched = result.matches.filter((match) => match.file.includes('foreign_')).length;
  console.log(`  foreign PDFs matched (wrong): ${foreignMatched} / ${FOREIGN}`);
  if (missed.length > 0) {
    console.log(`  not matched (first 5):`);
    for (const file of missed.slice(0, 5)) {
      const record = inReview.find((candidate) => candidate.id === truth.get(file));
      console.log(`    ${file} [${kinds.get(file)}] ${record?.title.slice(0, 90)}`);
    }
  }
}

function bench(record: BibRecord) {
  return { title: record.title, authors: record.authors, abstract: record.abstract, journal: record.journal, year: record.year, doi: record.doi };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
