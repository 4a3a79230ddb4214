/**
 * What matching needs from a PDF: the text of its first pages, the DOIs and title in its metadata,
 * and whether it could be read at all (encrypted with a password, damaged). pdf.js's legacy build
 * (the one meant for Node) does the parsing; it is loaded on first use.
 */
import { normaliseDoi } from '../../parsers/normalise';

export type PdfReadStatus = 'ok' | 'encrypted' | 'damaged';

export interface PdfFacts {
  status: PdfReadStatus;
  /** Why the PDF could not be read (status other than ok). */
  message?: string;
  pages: number;
  /** Text of the first pages, a line per text line, pages separated by a form feed. */
  text: string;
  /** The Title of the document information dictionary or the XMP dc:title. */
  metadataTitle?: string;
  /** DOIs in the metadata (information dictionary and XMP), normalised, first found first. */
  metadataDois: string[];
  /** DOIs in the text of the first pages, in reading order, normalised. */
  textDois: string[];
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

/** pdf.js with its worker running in this thread (no worker file to find next to the bundle). */
function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= (async () => {
    // pdf.js warns at load that it cannot find @napi-rs/canvas and polyfill what drawing needs
    // (drawing pages in Node is not what it is used for here).
    // pdf.js gives Node a navigator when it has none with a language; VS Code's extension host has a
    // getter-only one, which pdf.js cannot assign to. Lend it one while it loads, then put back the host's.
    const host = globalThis as { navigator?: { language?: string } };
    const original = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    let lent = false;
    if (!host.navigator?.language && (!original || original.configurable)) {
      Object.defineProperty(globalThis, 'navigator', { value: { language: 'en-US', platform: '', userAgent: '' }, configurable: true, writable: true });
      lent = true;
    }
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && /@napi-rs\/canvas|Cannot polyfill|Cannot access the `require`/.test(args[0])) return;
      warn(...args);
    };
    try {
      // pdf.js builds a DOMMatrix when it loads; Node has none (pdf.js borrows @napi-rs/canvas's, which is
      // native and not shipped): a plain-JavaScript one is enough for reading text.
      if (!('DOMMatrix' in globalThis)) {
        const { default: CSSMatrix } = await import('@thednp/dommatrix');
        (globalThis as { DOMMatrix?: unknown }).DOMMatrix = CSSMatrix;
      }
      const worker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
      (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
      const lib = await import('pdfjs-dist/legacy/build/pdf.mjs');
      lib.GlobalWorkerOptions.workerSrc = 'pdf.worker.mjs';
      return lib;
    } finally {
      console.warn = warn;
      if (lent) {
        if (original) Object.defineProperty(globalThis, 'navigator', original);
        else delete host.navigator;
      }
    }
  })();
  // A failed load is tried again next time, not remembered.
  pdfjs.catch(() => (pdfjs = undefined));
  return pdfjs;
}

const DOI_IN_TEXT = /10\.\d{4,9}\/[^\s"<>]+/gi;

/** Every DOI in `text`, normalised, in order of appearance, each once. */
export function doisInText(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(DOI_IN_TEXT)) {
    const doi = normaliseDoi(match[0]);
    if (doi && !found.includes(doi)) found.push(doi);
  }
  return found;
}

/** Reads the first `pages` pages' text (2 by default) and the metadata. Never throws. */
export async function readPdfFacts(bytes: Uint8Array, options: { pages?: number } = {}): Promise<PdfFacts> {
  const lib = await loadPdfJs();
  const empty: PdfFacts = { status: 'ok', pages: 0, text: '', metadataDois: [], textDois: [] };
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  const task = lib.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    stopAtErrors: false,
    verbosity: 0,
  });
  let document: Awaited<typeof task.promise>;
  try {
    document = await task.promise;
  } catch (error) {
    await task.destroy().catch(() => undefined);
    const name = (error as { name?: string } | undefined)?.name;
    if (name === 'PasswordException') return { ...empty, status: 'encrypted', message: 'The PDF is protected by a password.' };
    const detail = error instanceof Error ? error.message : String(error);
    return { ...empty, status: 'damaged', message: `The PDF cannot be read (${detail}).` };
  }
  try {
    const facts: PdfFacts = { ...empty, pages: document.numPages };
    const metadataText: string[] = [];
    try {
      const { info, metadata } = await document.getMetadata();
      const infoRecord = (info ?? {}) as Record<string, unknown>;
      const title = typeof infoRecord.Title === 'string' ? infoRecord.Title.trim() : '';
      const xmpTitle = metadata?.get('dc:title');
      facts.metadataTitle = title || (typeof xmpTitle === 'string' && xmpTitle.trim()) || undefined;
      for (const value of Object.values(infoRecord)) if (typeof value === 'string') metadataText.push(value);
      const custom = infoRecord.Custom;
      if (custom && typeof custom === 'object') for (const value of Object.values(custom)) if (typeof value === 'string') metadataText.push(value);
      if (metadata) metadataText.push(metadata.getRaw?.() ?? '');
    } catch {
      // Metadata is optional; the text still counts.
    }
    facts.metadataDois = doisInText(metadataText.join('\n'));
    const pageTexts: string[] = [];
    const last = Math.min(document.numPages, options.pages ?? 2);
    for (let number = 1; number <= last; number++) {
      try {
        const page = await document.getPage(number);
        const content = await page.getTextContent();
        let text = '';
        for (const item of content.items) {
          if (!('str' in item)) continue;
          text += item.str;
          text += item.hasEOL ? '\n' : ' ';
        }
        pageTexts.push(text);
        page.cleanup();
      } catch {
        pageTexts.push('');
      }
    }
    facts.text = pageTexts.join('\f');
    facts.textDois = doisInText(facts.text);
    return facts;
  } finally {
    await document.destroy().catch(() => undefined);
  }
}
