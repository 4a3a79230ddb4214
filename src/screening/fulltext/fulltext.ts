/**
 * The full texts of a review: the PDFs anywhere in its folder (any sub-folder, e.g. fulltext/), the
 * link of each record to its PDF (screening/fulltext.json, see links-file.ts), automatic matching
 * (match.ts), links made by hand, and each record's retrieval state at the full-text stage.
 * No VS Code here: the extension and the CLI share it.
 */
import { join } from 'node:path';
import type { BibRecord } from '../record';
import type { Review } from '../review';
import { sameStamp, type FileStamp, type ReviewFileSystem } from '../review-fs';
import { nodeFileSystem } from '../review-fs';
import { Emitter, type Event } from '../emitter';
import { matchPdfs, type MatchOutcome, type MatchMethod, type UnreadablePdf } from './match';
import { readLinks, serialiseLinks, type FullTextLink } from './links-file';
import { readPdfFacts, type PdfFacts } from './pdf-text';

export const FULLTEXT_FILE = 'screening/fulltext.json';

/** Where a record included at title/abstract stands on its report. */
export type RetrievalState =
  /** A PDF is linked and on disk. */
  | 'found'
  /** A PDF is linked but the file is gone (moved, not pulled, kept out of git). */
  | 'missing-file'
  /** No PDF yet. */
  | 'not-found'
  /** A reviewer (or the adjudicator) marked the report not retrieved. */
  | 'not-retrieved';

export interface RecordFullText {
  record: BibRecord;
  state: RetrievalState;
  link?: FullTextLink;
}

export interface FullTextIssue {
  file: string;
  line: number;
  severity: 'error' | 'warning';
  message: string;
}

export interface MatchSummary extends MatchOutcome {
  /** Automatic links dropped because their PDF is gone. */
  dropped: string[];
}

const SKIPPED_FOLDERS = new Set(['node_modules', 'screening']);

export class FullTexts {
  private links = new Map<string, FullTextLink>();
  private pdfs: string[] = [];
  private stamp: FileStamp | undefined;
  private readOnly = false;
  /** Records whose link this session changed since the last save. */
  private touched = new Set<string>();
  private factsCache = new Map<string, { stamp: FileStamp | undefined; facts: PdfFacts }>();
  issues: FullTextIssue[] = [];
  private readonly changes = new Emitter<void>();
  readonly onDidChange: Event<void> = this.changes.event;

  private constructor(
    readonly review: Review,
    private readonly fs: ReviewFileSystem,
    private readonly readFacts: (bytes: Uint8Array) => Promise<PdfFacts>,
  ) {}

  static async load(review: Review, options: { fs?: ReviewFileSystem; readFacts?: (bytes: Uint8Array) => Promise<PdfFacts> } = {}): Promise<FullTexts> {
    const fullTexts = new FullTexts(review, options.fs ?? nodeFileSystem, options.readFacts ?? ((bytes) => readPdfFacts(bytes)));
    await fullTexts.reload();
    return fullTexts;
  }

  /** Re-reads fulltext.json and the list of PDFs. */
  async reload(): Promise<void> {
    await this.readLinksFile();
    this.pdfs = await this.findPdfs();
    this.changes.fire();
  }

  private async readLinksFile(): Promise<void> {
    this.issues = [];
    this.readOnly = false;
    const read = await this.fs.readText(this.review.path(FULLTEXT_FILE));
    this.stamp = read?.stamp;
    this.links = new Map();
    if (!read) return;
    const parsed = readLinks(read.text);
    if (parsed.status === 'ok') {
      for (const link of parsed.links) this.links.set(link.record, link);
      return;
    }
    this.readOnly = true;
    this.issues.push({ file: FULLTEXT_FILE, line: parsed.status === 'invalid' ? parsed.line : 1, severity: 'error', message: `${parsed.message} It is not changed until fixed.` });
  }

  /** Every PDF under the review folder, review-relative, sorted; dot-entries, screening/ and node_modules/ skipped. */
  private async findPdfs(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string, prefix: string): Promise<void> => {
      for (const entry of await this.fs.readDir(dir)) {
        if (entry.name.startsWith('.')) continue;
        if (entry.kind === 'directory') {
          if (!(prefix === '' && SKIPPED_FOLDERS.has(entry.name)) && entry.name !== 'node_modules') await walk(join(dir, entry.name), `${prefix}${entry.name}/`);
        } else if (entry.kind === 'file' && /\.pdf$/i.test(entry.name)) {
          out.push(`${prefix}${entry.name}`);
        }
      }
    };
    await walk(this.review.root, '');
    return out.sort();
  }

  /** PDFs found in the folder. */
  get files(): readonly string[] {
    return this.pdfs;
  }

  /** Whether fulltext.json can be written (it is not newer than this build nor broken). */
  get writable(): boolean {
    return !this.readOnly;
  }

  link(recordId: string): FullTextLink | undefined {
    return this.links.get(recordId);
  }

  /** The record's PDF (review-relative) when linked, whether or not the file is there. */
  pdfOf(recordId: string): string | undefined {
    return this.links.get(recordId)?.file ?? undefined;
  }

  /** PDFs in the folder that no record has. */
  unmatched(): string[] {
    const linked = new Set([...this.links.values()].map((link) => link.file).filter((file): file is string => file !== null));
    return this.pdfs.filter((file) => !linked.has(file));
  }

  /** The records the full-text stage is about: those included at title/abstract, in review order. */
  sought(): BibRecord[] {
    return this.review.records.filter((record) => this.review.status(record.id).titleAbstract.state === 'included');
  }

  state(recordId: string): RetrievalState {
    const fullText = this.review.status(recordId).fullText;
    const marked = fullText.resolution ? fullText.resolution.verdict === 'not-retrieved' : fullText.decisions.some((decision) => decision.verdict === 'not-retrieved');
    const file = this.pdfOf(recordId);
    if (file !== undefined) return this.pdfs.includes(file) ? 'found' : marked ? 'not-retrieved' : 'missing-file';
    return marked ? 'not-retrieved' : 'not-found';
  }

  /** Each record included at title/abstract with its retrieval state. */
  report(): RecordFullText[] {
    return this.sought().map((record) => {
      const link = this.links.get(record.id);
      return { record, state: this.state(record.id), ...(link ? { link } : {}) };
    });
  }

  /** Why a PDF read during matching could not be read (encrypted, damaged), if it could not. */
  problem(file: string): string | undefined {
    const facts = this.factsCache.get(file)?.facts;
    return facts && facts.status !== 'ok' ? facts.message : undefined;
  }

  /** Whether the PDF's text was read (and its problem, if any, is known). */
  checked(file: string): boolean {
    return this.factsCache.has(file);
  }

  /** PDF text and metadata, read once per version of the file. */
  async facts(file: string): Promise<PdfFacts> {
    const path = this.review.path(file);
    const stamp = await this.fs.stat(path);
    const cached = this.factsCache.get(file);
    if (cached && sameStamp(cached.stamp, stamp)) return cached.facts;
    let facts: PdfFacts;
    try {
      facts = await this.readFacts(await this.fs.readBytes(path));
    } catch (error) {
      facts = { status: 'damaged', message: `The PDF cannot be read (${error instanceof Error ? error.message : String(error)}).`, pages: 0, text: '', metadataDois: [], textDois: [] };
    }
    this.factsCache.set(file, { stamp, facts });
    return facts;
  }

  /**
   * Matches the PDFs no record has to the records without one (links made by hand, including
   * detached records, are left alone): first the records included at title/abstract, then the rest,
   * so a look-alike record screened out never takes an included record's PDF. Automatic links whose
   * PDF is gone are dropped first. Writes fulltext.json when anything changed.
   */
  async match(): Promise<MatchSummary> {
    this.assertWritable();
    await this.reloadIfChanged();
    this.pdfs = await this.findPdfs();
    const present = new Set(this.pdfs);
    const dropped: string[] = [];
    for (const [record, link] of this.links) {
      if (link.method !== 'manual' && link.file !== null && !present.has(link.file)) {
        this.links.delete(record);
        this.touched.add(record);
        dropped.push(record);
      }
    }
    const sought = new Set(this.sought().map((record) => record.id));
    const free = (records: readonly BibRecord[]) => records.filter((record) => !this.links.has(record.id));
    const summary: MatchSummary = { matches: [], unmatched: [], unreadable: [], dropped };
    const unreadable = new Map<string, UnreadablePdf>();
    for (const group of [this.review.records.filter((r) => sought.has(r.id)), this.review.records.filter((r) => !sought.has(r.id))]) {
      const outcome = await matchPdfs({ records: free(group), pdfs: this.unmatched(), facts: (file) => this.facts(file) });
      for (const match of outcome.matches) {
        this.links.set(match.record, { record: match.record, file: match.file, method: match.method, detail: match.detail, by: null, time: null });
        this.touched.add(match.record);
        summary.matches.push(match);
      }
      for (const item of outcome.unreadable) unreadable.set(item.file, item);
    }
    summary.unmatched = this.unmatched();
    summary.unreadable = [...unreadable.values()].filter((item) => summary.unmatched.includes(item.file));
    if (summary.matches.length > 0 || dropped.length > 0) await this.save();
    this.changes.fire();
    return summary;
  }

  /** Links a PDF (review-relative) to a record by hand, replacing its PDF; the PDF leaves any other record. */
  async attach(recordId: string, file: string): Promise<FullTextLink> {
    this.assertWritable();
    if (!this.review.record(recordId)) throw new Error(`Unknown record ${recordId}.`);
    if (file.startsWith('../') || file.startsWith('/') || /^[a-z]:/i.test(file)) throw new Error(`${file} is outside the review folder; copy it into the folder (e.g. fulltext/) first.`);
    if (!/\.pdf$/i.test(file)) throw new Error(`${file} is not a PDF.`);
    await this.reloadIfChanged();
    for (const [record, link] of this.links) {
      if (link.file !== file || record === recordId) continue;
      this.links.delete(record);
      this.touched.add(record);
    }
    const link: FullTextLink = { record: recordId, file, method: 'manual', detail: null, by: this.review.reviewer, time: new Date().toISOString() };
    this.links.set(recordId, link);
    this.touched.add(recordId);
    if (!this.pdfs.includes(file)) this.pdfs = await this.findPdfs();
    await this.save();
    this.changes.fire();
    return link;
  }

  /** Takes a record's PDF away by hand; automatic matching then leaves the record alone until a PDF is attached. */
  async detach(recordId: string): Promise<void> {
    this.assertWritable();
    await this.reloadIfChanged();
    this.links.set(recordId, { record: recordId, file: null, method: 'manual', detail: null, by: this.review.reviewer, time: new Date().toISOString() });
    this.touched.add(recordId);
    await this.save();
    this.changes.fire();
  }

  private assertWritable(): void {
    if (this.readOnly) throw new Error(this.issues[0]?.message ?? `${FULLTEXT_FILE} cannot be written.`);
  }

  /** Changed on disk since read (a pull, another window): take the disk's links, then apply ours over them. */
  private async reloadIfChanged(): Promise<void> {
    const stamp = await this.fs.stat(this.review.path(FULLTEXT_FILE));
    if (sameStamp(stamp, this.stamp)) return;
    await this.readLinksFile();
    this.assertWritable();
  }

  private async save(): Promise<void> {
    const onDisk = await this.fs.stat(this.review.path(FULLTEXT_FILE));
    if (!sameStamp(onDisk, this.stamp)) {
      // Someone else wrote it meanwhile: keep their links for the records this save does not touch.
      const mine = [...this.touched].map((record) => [record, this.links.get(record)] as const);
      await this.readLinksFile();
      this.assertWritable();
      for (const [record, link] of mine) {
        if (link) this.links.set(record, link);
        else this.links.delete(record);
      }
    }
    this.touched.clear();
    this.stamp = await this.fs.writeAtomic(this.review.path(FULLTEXT_FILE), serialiseLinks(this.links.values()));
  }

  dispose(): void {
    this.changes.dispose();
  }
}

export function methodOf(link: FullTextLink | undefined): MatchMethod | undefined {
  return link?.file ? link.method : undefined;
}
