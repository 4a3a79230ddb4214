/**
 * The typed messages between the extension host (src/views) and the webviews' browser code
 * (src/webview). One discriminated union per direction and webview; every type is prefixed with
 * the webview's name. Type imports only: this file is shared by both bundles and holds no code.
 *
 * Every webview starts with a `<name>/ready` handshake: the host sends nothing until it arrives
 * (a message posted before the page's script runs would be lost).
 */
import type { PrismaCounts } from '../screening/prisma';

// ---------------------------------------------------------------------------------------------
// PRISMA flow diagram (src/views/prismaPanel.ts <-> src/webview/prisma.ts)

export type PrismaExportFormat = 'svg' | 'png' | 'csv' | 'md' | 'json';

/** What the PRISMA webview keeps with getState/setState (and the serializer restores). */
export interface PrismaViewState {
  /** List the databases and registers in the identification box. */
  detail: boolean;
  /** The per-source disclosure is open. */
  sourcesOpen: boolean;
}

export type PrismaHostMessage =
  /** The review's counts (sent on ready and after every change). */
  | { type: 'prisma/update'; counts: PrismaCounts; reviewTitle?: string; sequence: number }
  /** No review to show (no folder, or it failed to open), or still loading. */
  | { type: 'prisma/empty'; message: string; loading: boolean }
  /** Render this SVG to a PNG at `scale` and answer with `prisma/rasterized`. */
  | { type: 'prisma/rasterize'; id: number; svg: string; width: number; height: number; scale: number }
  /** An export finished (or failed): shown in the toolbar's status line. */
  | { type: 'prisma/exported'; message: string; ok: boolean };

export type PrismaWebviewMessage =
  | { type: 'prisma/ready'; state: PrismaViewState }
  | { type: 'prisma/state'; state: PrismaViewState }
  | { type: 'prisma/export'; format: PrismaExportFormat }
  /** The PNG bytes (base64), or why rendering failed. */
  | { type: 'prisma/rasterized'; id: number; pngBase64?: string; error?: string };

// ---------------------------------------------------------------------------------------------
// Record reader (src/views/readerPanel.ts <-> src/webview/reader.ts)

export type ReaderStage = 'title-abstract' | 'full-text';
export type ReaderVerdict = 'include' | 'exclude' | 'maybe' | 'not-retrieved';

/** What the reader keeps with getState/setState (and the serializer restores). */
export interface ReaderViewState {
  recordId?: string;
  stage: ReaderStage;
  fullTextOpen: boolean;
}

/** A record as the reader shows it: plain strings, all rendered as text. */
export interface ReaderRecord {
  id: string;
  title: string;
  authors: string[];
  year?: number;
  journal?: string;
  volume?: string;
  issue?: string;
  pages?: string;
  doi?: string;
  pmid?: string;
  /** Only http(s) URLs reach the reader. */
  url?: string;
  keywords: string[];
  abstract?: string;
  fullText?: string;
  type: string;
  /** "file:line" of the record in its source. */
  source: string;
  /** Set for a duplicate: the title of the record it duplicates (duplicates are not screened). */
  duplicateOf?: string;
}

export interface ReaderDecision {
  /** Reviewer id as written in the decisions file; "you" for the current reviewer. */
  reviewer: string;
  mine: boolean;
  verdict: ReaderVerdict;
  reason: string | null;
  note: string | null;
  time: string;
}

export interface ReaderStageView {
  stage: ReaderStage;
  /** "Title/abstract", "Full text". */
  label: string;
  /** Where the record stands at this stage, in words ("Awaiting a second reviewer", …). */
  stateLabel: string;
  /** Tree group of the record at this stage (for the colour of the state), absent when not applicable. */
  group?: string;
  mine?: ReaderDecision;
  /** Other reviewers' decisions (empty while hidden by blind mode). */
  others: ReaderDecision[];
  /** How many decisions of others blind mode hides. */
  hidden: number;
  resolution?: ReaderDecision & { by: string };
  /** The stage applies (full text only after inclusion at title/abstract). */
  applicable: boolean;
  conflict: boolean;
  /** A note typed before deciding, saved with the next decision. */
  pendingNote?: string;
}

/** The record's place in the reviewer's relevance ranking (title/abstract), and the stopping aid. */
export interface ReaderRelevance {
  /** "Rank 3 of 1,200 · Likely relevant: …"; absent for records this reviewer has included or excluded. */
  summary?: string;
  /** What the ranking rests on (it is a prediction, not a judgement). */
  detail?: string;
  /** high | possible | low | unlikely | unranked | unscorable (for the colour). */
  tier?: string;
  /** The stopping aid, worded as an estimate under stated assumptions. */
  stopping: string;
}

/** The report of a record at full text: its PDF (shown in the reader with pdf.js) or why there is none. */
export interface ReaderReport {
  state: 'found' | 'missing-file' | 'not-found' | 'not-retrieved';
  /** "No PDF yet: add it to the review folder, or attach one." and the like. */
  label: string;
  /** The PDF, relative to the review folder. */
  file?: string;
  /** The PDF's size in bytes (state found): the page reads its parts with `reader/pdf-read`. */
  size?: number;
  /** Changes when the file does (size and modification time): the page's cache key. */
  version?: string;
  /** How it was matched, in words. */
  how?: string;
  /** Why the PDF cannot be shown (encrypted, damaged), when the host found it could not read it. */
  problem?: string;
}

/** One record as the reader shows it at one stage. */
export interface ReaderPage {
  record: ReaderRecord;
  /** The stage decisions apply to. */
  stage: ReaderStage;
  stages: ReaderStageView[];
  /** "Unscreened · 3 of 4,877", for orientation. */
  position: string;
  /** The review can be written (decisions possible). */
  writable: boolean;
  /** Relevance ranking (title/abstract, when on and computed). */
  relevance?: ReaderRelevance;
  /** Full text of a record included at title/abstract: its PDF or why there is none. */
  report?: ReaderReport;
}

export type ReaderHostMessage =
  | (ReaderPage & {
      type: 'reader/show';
      terms: { include: string[]; exclude: string[] };
      /** After include / maybe / not retrieved the host moves on to the next unscreened record. */
      autoAdvance: boolean;
      /**
       * The records the next key press most likely shows (without their full text), so the page
       * can show them at once; the host's own `reader/show` follows and settles what is shown.
       */
      prefetch?: { nextUnscreened?: ReaderPage; next?: ReaderPage; previous?: ReaderPage };
      /** Increases with every message; lets tests tell a redraw happened. */
      sequence: number;
      /** The `seq` of the last action the host had received when it sent this (older pages are stale). */
      ack: number;
      /** Status line: what just happened ("Included — next unscreened record"). */
      notice?: string;
    })
  | { type: 'reader/empty'; message: string; loading: boolean; sequence: number }
  /** An action could not be done; the page re-enables its keys. */
  | { type: 'reader/notice'; message: string; error: boolean }
  /** Bytes of the record's PDF asked for by `reader/pdf-read` (or why they could not be read). */
  | { type: 'reader/pdf-data'; id: number; data?: Uint8Array; error?: string };

export type ReaderAction = 'include' | 'exclude' | 'maybe' | 'not-retrieved' | 'note' | 'undo' | 'next' | 'previous' | 'next-unscreened' | 'search' | 'resolve';

export type ReaderWebviewMessage =
  | { type: 'reader/ready'; state: ReaderViewState | undefined }
  | { type: 'reader/state'; state: ReaderViewState }
  /** A button or key: acts on the record and stage the page showed. */
  /**
   * `ahead`: the record of the prefetched page the page already moved to (the host then shows that
   * one, so the reader moves once, to the record the reviewer sees).
   */
  | { type: 'reader/action'; action: ReaderAction; recordId: string; stage: ReaderStage; seq: number; ahead?: string }
  | { type: 'reader/stage'; stage: ReaderStage; recordId: string }
  /** Open an identifier's page (the host builds the URL from the record, never from the page). */
  | { type: 'reader/open'; target: 'doi' | 'pmid' | 'url'; recordId: string }
  /** Text selected in the PDF, to attach to the decision as evidence (page is 1-based). */
  | { type: 'reader/quote'; recordId: string; stage: ReaderStage; text: string; page: number }
  /** Full-text buttons: pick a PDF for the record, detach it, match the folder's PDFs. */
  | { type: 'reader/pdf'; action: 'attach' | 'detach' | 'match'; recordId: string }
  /** Files dropped onto the reader (URIs as the drop gave them): the first PDF is attached to the record. */
  | { type: 'reader/drop'; recordId: string; uris: string[] }
  /** Bytes [begin, end) of the record's PDF, for pdf.js's range reads (only the PDF linked to that record is read). */
  | { type: 'reader/pdf-read'; id: number; recordId: string; begin: number; end: number };

// ---------------------------------------------------------------------------------------------
// Possible duplicates, side by side (src/views/duplicatesPanel.ts <-> src/webview/duplicates.ts)

export type DuplicateField = 'title' | 'authors' | 'journal' | 'year' | 'volume' | 'issue' | 'pages' | 'doi' | 'pmid';

export interface DuplicateSide {
  id: string;
  /** Field values as shown (strings from the record: the webview sets them as text). */
  values: Partial<Record<DuplicateField | 'abstract', string>>;
  /** "file.ris:12". */
  source: string;
  /** Screening decisions recorded on this record, e.g. "ann@example.org: include (title/abstract)". */
  decisions: string[];
}

export interface DuplicatePairView {
  a: DuplicateSide;
  b: DuplicateSide;
  /** How each field compares: same, different or missing in one. */
  fields: Partial<Record<DuplicateField, 'same' | 'different' | 'missing'>>;
  /** Why it is queued, in a few words. */
  rule: string;
  similarity: number;
  /** 1-based position in the queue, and its length (0 when the pair is not from the queue). */
  position: number;
  total: number;
}

export type DuplicatesHostMessage =
  | { type: 'duplicates/show'; pair: DuplicatePairView }
  | { type: 'duplicates/empty'; message: string };

export type DuplicatesWebviewMessage =
  | { type: 'duplicates/ready' }
  /** keep: which side to keep for 'duplicate' (undefined: the earlier imported). */
  | { type: 'duplicates/decide'; verdict: 'duplicate' | 'distinct'; keep?: 'a' | 'b' }
  | { type: 'duplicates/move'; delta: 1 | -1 };
