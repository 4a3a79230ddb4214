/**
 * The importer registry: picks a format by sniffing the decoded content (never the file name),
 * runs its importer, and turns anything that goes wrong into problems with file and line.
 */
import type { FormatId, ImportProblem } from '../screening/record';
import { decodeBytes, looksBinary, utf8Body, type TextEncoding } from './decode';
import { findNulRuns, nulProblems, withoutRuns } from './nul';
import type { Importer, ParseResult } from './types';
import { bibtexImporter } from './bibtex';
import { cord19Importer } from './cord19';
import { cslJsonImporter } from './csl-json';
import { csvImporter } from './csv';
import { endnoteTaggedImporter } from './endnote-tagged';
import { endnoteXmlImporter } from './endnote-xml';
import { medlineImporter } from './medline';
import { ovidImporter } from './ovid';
import { plainTextImporter } from './plain-text';
import { proquestImporter } from './proquest';
import { pubmedXmlImporter } from './pubmed-xml';
import { refworksImporter } from './refworks';
import { parseRisUtf8, risImporter, sniffRis } from './ris';
import { wosImporter } from './wos';

/** Every importer. Plain text comes last: it accepts anything that none of the others claims. */
export const importers: readonly Importer[] = [
  risImporter,
  medlineImporter,
  wosImporter,
  ovidImporter,
  refworksImporter,
  endnoteTaggedImporter,
  bibtexImporter,
  cslJsonImporter,
  endnoteXmlImporter,
  pubmedXmlImporter,
  csvImporter,
  proquestImporter,
  cord19Importer,
  plainTextImporter,
];

/** Below this confidence a format is not chosen; plain text then takes the file if it looks like prose. */
const MIN_CONFIDENCE = 0.2;

export interface FileImportResult extends ParseResult {
  file: string;
  /** The format chosen, undefined when none was recognised. */
  format?: FormatId;
  encoding?: TextEncoding;
}

export function sniffFormat(text: string): Importer | undefined {
  let best: Importer | undefined;
  let bestScore = MIN_CONFIDENCE;
  for (const importer of importers) {
    let score = 0;
    try {
      score = importer.sniff(text);
    } catch {
      score = 0;
    }
    if (score > bestScore) {
      best = importer;
      bestScore = score;
    }
  }
  return best;
}

const BARE_PMIDS = /^\s*(?:PMID:?\s*)?\d{1,9}\s*(?:[\r\n,;]+\s*(?:PMID:?\s*)?\d{1,9}\s*)*$/i;

/** Imports one file's bytes. Never throws. */
export function importBytes(bytes: Uint8Array, file: string, forced?: FormatId): FileImportResult {
  if (bytes.length === 0) return fileProblem(file, 'The file is empty.');
  if (looksBinary(bytes)) {
    return fileProblem(file, 'The file is binary (not a text export); export the records as RIS, MEDLINE, BibTeX, EndNote XML or CSV.');
  }
  if (forced === undefined || forced === 'ris') {
    const ris = importUtf8Ris(bytes, file, forced);
    if (ris) return ris;
  }
  let decoded;
  try {
    decoded = decodeBytes(bytes);
  } catch (error) {
    return fileProblem(file, `The file could not be decoded as text: ${String(error)}`);
  }
  return { ...importText(decoded.text, file, forced), encoding: decoded.encoding };
}

/** Bytes of the head of a file decoded to sniff it: at least 65,536 + 1 characters, more than any sniffer reads. */
const SNIFF_HEAD_BYTES = 256 * 1024;

/**
 * RIS in UTF-8, the commonest large import, without decoding the whole file (see parseRisUtf8): the same
 * result as importText() of the decoded text, or undefined when the file is not UTF-8 or not RIS, or when
 * that cannot be told from its head; the caller then takes the general path.
 * The format is sniffed on the decoded head: the whole file when it is small. Of a longer file, sniffers
 * read at most its first 65,536 characters, bar three (CSL-JSON, CSV, ProQuest) that never score above
 * 0.95, RIS's top score; RIS comes first among the importers and wins ties, so a head that RIS sniffs at
 * 0.95 and that no other importer outscores makes the whole file RIS too.
 */
function importUtf8Ris(bytes: Uint8Array, file: string, forced: FormatId | undefined): FileImportResult | undefined {
  const body = utf8Body(bytes);
  // NUL damage: importText() leaves the NULs out and reports them.
  if (!body || body.indexOf(0) >= 0) return undefined;
  let end = Math.min(body.length, SNIFF_HEAD_BYTES);
  while (end < body.length && (body[end] & 0xc0) === 0x80) end--; // not inside a character
  const head = body.toString('utf8', 0, end);
  // Not RIS, or what importText() checks first (an empty file, bare PubMed ids): the general path.
  if (head.trim().length === 0) return undefined;
  if (!forced) {
    if (end < body.length && sniffRis(head) < 0.95) return undefined;
    if (end === body.length && BARE_PMIDS.test(head)) return undefined;
    if (sniffFormat(head) !== risImporter) return undefined;
  }
  try {
    const result = parseRisUtf8(body, file);
    return { file, format: risImporter.format, records: result.records, problems: withNoRecordProblem(result, file, risImporter.label), encoding: 'utf-8' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { file, format: risImporter.format, records: [], problems: [problem(file, 0, `The ${risImporter.label} importer failed: ${message}`)], encoding: 'utf-8' };
  }
}

/** Imports decoded text. Never throws. */
export function importText(text: string, file: string, forced?: FormatId): FileImportResult {
  const nuls = findNulRuns(text);
  if (nuls.length > 0) {
    const rest = withoutRuns(text, nuls);
    if (rest.replace(/^\ufeff/, '').trim().length === 0) return fileProblem(file, 'The file holds nothing but NUL bytes: it is damaged (an interrupted copy or download?).');
    const result = importText(rest, file, forced);
    return { ...result, problems: [...nulProblems(file, nuls), ...result.problems] };
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim().length === 0) return fileProblem(file, 'The file is empty.');
  if (!forced && BARE_PMIDS.test(body)) {
    return fileProblem(
      file,
      'The file is a list of PubMed ids without bibliographic data. Fetching them needs an online lookup: ' +
        'search them in PubMed and export the results as MEDLINE (.nbib) or RIS, then import that file.',
    );
  }
  const importer = forced ? importers.find((candidate) => candidate.format === forced) : sniffFormat(body);
  if (!importer) {
    return fileProblem(file, 'Unknown format: not RIS, MEDLINE, BibTeX, CSL-JSON, EndNote, RefWorks, Ovid, Web of Science, ProQuest, PubMed XML, CSV or plain text.');
  }
  try {
    const result = importer.parse(body, file);
    return { file, format: importer.format, records: result.records, problems: withNoRecordProblem(result, file, importer.label) };
  } catch (error) {
    // An importer bug must not lose the file silently: report it as a problem.
    const message = error instanceof Error ? error.message : String(error);
    return { file, format: importer.format, records: [], problems: [problem(file, 0, `The ${importer.label} importer failed: ${message}`)] };
  }
}

/** A file that yields no record is a problem of the file (an error), whatever the importer said line by line. */
function withNoRecordProblem(result: ParseResult, file: string, label: string): ImportProblem[] {
  if (result.records.length > 0 || result.problems.some((p) => p.severity === 'error')) return result.problems;
  return [...result.problems, problem(file, 0, `No valid record found (read as ${label}); check that this is the export file and that it is complete.`)];
}

function fileProblem(file: string, message: string): FileImportResult {
  return { file, records: [], problems: [problem(file, 0, message)] };
}

function problem(file: string, line: number, message: string): ImportProblem {
  return { file, line, severity: 'error', message };
}
