/**
 * The reader's PDF viewer (browser side), on pdf.js with its worker as a local resource. Long PDFs
 * stay light: every page is a placeholder of the right size, and only the pages near the view
 * (IntersectionObserver, a screen above and below) get a canvas and a text layer; pages that leave
 * that band give theirs back, and at most two pages render at a time. The text layer makes text
 * selectable (quotes) and carries the review's include/exclude terms as <mark> elements, built from
 * text nodes like the abstract's. Find searches the text of every page, page by page.
 */
import { getDocument, GlobalWorkerOptions, PDFDataRangeTransport, TextLayer, type PDFDocumentLoadingTask, type PDFDocumentProxy, type PDFPageProxy, type RenderTask } from 'pdfjs-dist';
import type { TermMatcher } from '../../screening/highlight';

export interface PdfViewerOptions {
  /** The scrolling element that holds the pages. */
  container: HTMLElement;
  workerSrc: string;
  cMapUrl: string;
  standardFontDataUrl: string;
  /** A line for the viewer's status (loading, errors, find results). */
  onStatus(text: string, error: boolean): void;
  /** The page at the top of the view changed, or the page count became known. */
  onPage(page: number, pages: number): void;
  strings: { loading: string; encrypted: string; damaged: string; found: string; notFound: string };
}

/** A PDF the page reads by parts (the host answers each read with the bytes of the file). */
export interface PdfSource {
  /** Identifies the PDF and its version: the same key again keeps the document open. */
  key: string;
  size: number;
  read(begin: number, end: number): Promise<Uint8Array>;
}

/** The first bytes read before pdf.js starts (enough for a small PDF whole, and a large one's header). */
const INITIAL_BYTES = 1_048_576;
/** At most this many reads in flight: pdf.js can ask for hundreds of ranges at once on a large file. */
const CONCURRENT_READS = 6;

/** pdf.js's range reads, answered by the source with at most CONCURRENT_READS in flight. */
class SourceTransport extends PDFDataRangeTransport {
  private active = 0;
  private waiting: [number, number][] = [];
  failed: string | undefined;

  constructor(
    private readonly source: PdfSource,
    initial: Uint8Array,
  ) {
    super(source.size, initial, initial.length >= source.size);
  }

  override requestDataRange(begin: number, end: number): void {
    this.waiting.push([begin, end]);
    this.next();
  }

  private next(): void {
    while (this.active < CONCURRENT_READS && this.waiting.length > 0) {
      const [begin, end] = this.waiting.shift()!;
      this.active++;
      this.source
        .read(begin, end)
        .then(
          (chunk) => this.onDataRange(begin, chunk),
          (error: unknown) => (this.failed = error instanceof Error ? error.message : String(error)),
        )
        .finally(() => {
          this.active--;
          this.next();
        });
    }
  }
}

interface PageSlot {
  number: number;
  element: HTMLDivElement;
  width: number;
  height: number;
  rendered: boolean;
  rendering?: { task: RenderTask; textLayer?: TextLayer };
  near: boolean;
}

const MAX_CANVAS_PIXELS = 16_777_216;
const CONCURRENT_RENDERS = 2;

export class PdfViewer {
  private task: PDFDocumentLoadingTask | undefined;
  private document: PDFDocumentProxy | undefined;
  private slots: PageSlot[] = [];
  private observer: IntersectionObserver | undefined;
  private scale = 1.25;
  private queue: PageSlot[] = [];
  private active = 0;
  private generation = 0;
  private matcher: TermMatcher | undefined;
  private pageTexts = new Map<number, string>();
  private findQuery = '';
  private findHits: number[] = [];
  private findIndex = -1;
  /** Milliseconds from open() to the first page drawn, for tests and the benchmark. */
  firstPageMs: number | undefined;
  url: string | undefined;

  private worker: Promise<void> | undefined;

  constructor(private readonly options: PdfViewerOptions) {
    options.container.addEventListener('scroll', () => this.reportPage(), { passive: true });
  }

  /**
   * pdf.js's worker from its local resource. The resource's origin is not the page's, and requests
   * made inside a worker may miss the webview's resource loader: fetch the script here and start
   * the worker from a blob of it (CSP worker-src blob:). It is started once and serves every PDF.
   */
  private startWorker(): Promise<void> {
    this.worker ??= (async () => {
      try {
        const response = await fetch(this.options.workerSrc);
        if (!response.ok) throw new Error(`${response.status}`);
        const url = URL.createObjectURL(new Blob([await response.text()], { type: 'text/javascript' }));
        GlobalWorkerOptions.workerPort = new Worker(url, { type: 'module' });
      } catch {
        // pdf.js loads the worker from its URL itself (or runs it in the page).
        GlobalWorkerOptions.workerSrc = this.options.workerSrc;
      }
    })();
    return this.worker;
  }

  get pageCount(): number {
    return this.document?.numPages ?? 0;
  }

  private opening: Promise<void> | undefined;

  /** Shows the PDF (the same one again: only the terms are updated, a load under way goes on). */
  open(source: PdfSource, matcher: TermMatcher): Promise<void> {
    this.matcher = matcher;
    if (this.url === source.key && this.opening) {
      if (this.document) this.rehighlight();
      return this.opening;
    }
    this.close();
    this.url = source.key;
    this.opening = this.load(source);
    return this.opening;
  }

  private async load(source: PdfSource): Promise<void> {
    const generation = ++this.generation;
    const started = performance.now();
    this.options.onStatus(this.options.strings.loading, false);
    await this.startWorker();
    let initial: Uint8Array;
    try {
      initial = await source.read(0, Math.min(source.size, INITIAL_BYTES));
    } catch (error) {
      if (generation === this.generation) this.fail(this.options.strings.damaged.replace('{0}', error instanceof Error ? error.message : String(error)));
      return;
    }
    if (generation !== this.generation) return;
    const task = getDocument({
      range: new SourceTransport(source, initial),
      cMapUrl: this.options.cMapUrl,
      cMapPacked: true,
      standardFontDataUrl: this.options.standardFontDataUrl,
      isEvalSupported: false,
      enableXfa: false,
      // Fonts and character maps are fetched here, through the webview's resource loader, not by the worker.
      useWorkerFetch: false,
      // Ranges read when pages need them, not the whole file ahead.
      disableAutoFetch: true,
      disableStream: true,
      // Large chunks: each read is a round trip through the extension host.
      rangeChunkSize: 1_048_576,
    });
    this.task = task;
    let locked = false;
    task.onPassword = () => {
      if (generation !== this.generation) return;
      // No password prompt: say so, and stop (destroying the task rejects its promise below).
      locked = true;
      this.fail(this.options.strings.encrypted);
      void task.destroy();
    };
    let document: PDFDocumentProxy;
    try {
      document = await task.promise;
    } catch (error) {
      if (generation !== this.generation || locked) return;
      const name = (error as { name?: string } | undefined)?.name;
      if (name === 'PasswordException') this.fail(this.options.strings.encrypted);
      else this.fail(this.options.strings.damaged.replace('{0}', error instanceof Error ? error.message : String(error)));
      return;
    }
    if (generation !== this.generation) {
      void document.destroy();
      return;
    }
    this.document = document;
    let first: PDFPageProxy;
    try {
      first = await document.getPage(1);
    } catch (error) {
      if (generation === this.generation) this.fail(this.options.strings.damaged.replace('{0}', error instanceof Error ? error.message : String(error)));
      return;
    }
    if (generation !== this.generation) return;
    const base = first.getViewport({ scale: 1 });
    this.layout(base.width, base.height);
    this.options.onStatus('', false);
    this.options.onPage(1, document.numPages);
    this.firstPageMs = undefined;
    await this.renderSlot(this.slots[0], first);
    if (generation !== this.generation) return;
    if (this.slots[0]?.element.dataset.error) {
      this.fail(this.options.strings.damaged.replace('{0}', this.slots[0].element.dataset.error));
      return;
    }
    this.firstPageMs = performance.now() - started;
    this.options.container.dataset.firstPageMs = this.firstPageMs?.toFixed(0) ?? '';
  }

  private fail(message: string): void {
    this.options.container.replaceChildren();
    this.options.container.dataset.state = 'error';
    this.options.onStatus(message, true);
  }

  /** Placeholders for every page at the first page's size (a page's own size is set when it renders). */
  private layout(width: number, height: number): void {
    this.observer?.disconnect();
    const container = this.options.container;
    container.replaceChildren();
    container.dataset.state = 'open';
    this.slots = [];
    const pages = this.document?.numPages ?? 0;
    this.observer = new IntersectionObserver((entries) => this.onIntersect(entries), { root: container, rootMargin: '100% 0px' });
    for (let number = 1; number <= pages; number++) {
      const element = document.createElement('div');
      element.className = 'pdf-page';
      element.dataset.page = String(number);
      const slot: PageSlot = { number, element, width, height, rendered: false, near: false };
      this.size(slot);
      container.append(element);
      this.slots.push(slot);
      this.observer.observe(element);
    }
  }

  private size(slot: PageSlot): void {
    slot.element.style.width = `${Math.floor(slot.width * this.scale)}px`;
    slot.element.style.height = `${Math.floor(slot.height * this.scale)}px`;
  }

  private onIntersect(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      const slot = this.slots[Number((entry.target as HTMLElement).dataset.page) - 1];
      if (!slot) continue;
      slot.near = entry.isIntersecting;
      if (slot.near && !slot.rendered && !slot.rendering && !this.queue.includes(slot)) this.queue.push(slot);
      if (!slot.near) this.release(slot);
    }
    this.pump();
  }

  private pump(): void {
    while (this.active < CONCURRENT_RENDERS && this.queue.length > 0) {
      const slot = this.queue.shift()!;
      if (!slot.near || slot.rendered) continue;
      this.active++;
      void this.renderSlot(slot).finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  /** Draws a page: a canvas at the screen's pixel density (capped) and its text layer. */
  private async renderSlot(slot: PageSlot | undefined, page?: PDFPageProxy): Promise<void> {
    if (!slot || !this.document || slot.rendered || slot.rendering) return;
    const generation = this.generation;
    try {
      page ??= await this.document.getPage(slot.number);
      if (generation !== this.generation) return;
      const viewport = page.getViewport({ scale: this.scale });
      slot.width = viewport.width / this.scale;
      slot.height = viewport.height / this.scale;
      this.size(slot);
      const density = Math.min(window.devicePixelRatio || 1, Math.sqrt(MAX_CANVAS_PIXELS / (viewport.width * viewport.height)));
      const canvas = document.createElement('canvas');
      canvas.width = Math.floor(viewport.width * density);
      canvas.height = Math.floor(viewport.height * density);
      canvas.style.width = `${Math.floor(viewport.width)}px`;
      canvas.style.height = `${Math.floor(viewport.height)}px`;
      const text = document.createElement('div');
      text.className = 'textLayer';
      slot.element.style.setProperty('--scale-factor', String(this.scale));
      slot.element.style.setProperty('--total-scale-factor', String(this.scale));
      const task = page.render({ canvas, viewport, transform: density !== 1 ? [density, 0, 0, density, 0, 0] : undefined });
      slot.rendering = { task };
      await task.promise;
      if (generation !== this.generation || (!slot.near && slot.number !== 1)) {
        canvas.width = 0;
        slot.rendering = undefined;
        return;
      }
      const textLayer = new TextLayer({ textContentSource: page.streamTextContent(), container: text, viewport });
      slot.rendering.textLayer = textLayer;
      await textLayer.render();
      this.pageTexts.set(slot.number, textLayer.textContentItemsStr.join(' '));
      slot.element.replaceChildren(canvas, text);
      slot.rendered = true;
      slot.element.dataset.rendered = 'true';
      this.highlightSlot(slot);
    } catch (error) {
      if ((error as { name?: string } | undefined)?.name !== 'RenderingCancelledException') slot.element.dataset.error = String(error);
    } finally {
      slot.rendering = undefined;
      page?.cleanup();
    }
  }

  /** A page far from the view gives its canvas and text back (a blank placeholder of its size stays). */
  private release(slot: PageSlot): void {
    slot.rendering?.task.cancel();
    slot.rendering?.textLayer?.cancel();
    if (!slot.rendered) return;
    for (const canvas of Array.from(slot.element.querySelectorAll('canvas'))) canvas.width = canvas.height = 0;
    slot.element.replaceChildren();
    slot.rendered = false;
    delete slot.element.dataset.rendered;
  }

  /** Pages with a canvas now (tests and the benchmark check that memory stays bounded). */
  get renderedPages(): number {
    return this.slots.filter((slot) => slot.rendered).length;
  }

  private highlightSlot(slot: PageSlot): void {
    const spans = Array.from(slot.element.querySelectorAll<HTMLElement>('.textLayer > span, .textLayer .markedContent > span'));
    const query = this.findQuery.toLowerCase();
    for (const span of spans) {
      const text = span.dataset.text ?? span.textContent ?? '';
      span.dataset.text = text;
      const segments = this.matcher && !this.matcher.empty ? this.matcher.segments(text) : [{ text }];
      const nodes: Node[] = [];
      for (const segment of segments) {
        const kind = 'kind' in segment ? segment.kind : undefined;
        const parts = query ? splitFind(segment.text, query) : [{ text: segment.text, hit: false }];
        for (const part of parts) {
          if (!kind && !part.hit) {
            nodes.push(document.createTextNode(part.text));
            continue;
          }
          const mark = document.createElement('mark');
          mark.className = [kind ? `term term-${kind}` : '', part.hit ? 'find-hit' : ''].filter(Boolean).join(' ');
          mark.textContent = part.text;
          nodes.push(mark);
        }
      }
      span.replaceChildren(...nodes);
    }
  }

  private rehighlight(): void {
    for (const slot of this.slots) if (slot.rendered) this.highlightSlot(slot);
  }

  setZoom(scale: number): void {
    const next = Math.min(4, Math.max(0.5, scale));
    if (!this.document || next === this.scale) return;
    const topPage = this.currentPage();
    this.scale = next;
    for (const slot of this.slots) {
      this.release(slot);
      this.size(slot);
    }
    this.goTo(topPage);
    // The observer reports the pages near the new view; draw them again.
    this.queue = this.slots.filter((slot) => slot.near);
    this.pump();
  }

  get zoom(): number {
    return this.scale;
  }

  /** Zoom so a page fills the viewer's width. */
  fitWidth(): void {
    const slot = this.slots[this.currentPage() - 1];
    if (!slot) return;
    this.setZoom((this.options.container.clientWidth - 24) / slot.width);
  }

  goTo(page: number): void {
    const slot = this.slots[Math.min(Math.max(page, 1), this.slots.length) - 1];
    if (!slot) return;
    this.options.container.scrollTop = slot.element.offsetTop - this.options.container.offsetTop;
    this.reportPage();
  }

  currentPage(): number {
    const top = this.options.container.scrollTop + this.options.container.offsetTop;
    for (const slot of this.slots) if (slot.element.offsetTop + slot.element.offsetHeight > top + 4) return slot.number;
    return this.slots.length > 0 ? this.slots.length : 1;
  }

  private reportPage(): void {
    if (this.document) this.options.onPage(this.currentPage(), this.document.numPages);
  }

  /** Finds `query` (case-insensitive) from the current page on; `again` moves to the next (or previous) page with it. */
  async find(query: string, backwards = false): Promise<void> {
    if (!this.document) return;
    const normalised = query.trim().toLowerCase();
    if (normalised !== this.findQuery) {
      this.findQuery = normalised;
      this.findHits = [];
      this.findIndex = -1;
      this.rehighlight();
      if (!normalised) {
        this.options.onStatus('', false);
        return;
      }
      const generation = this.generation;
      for (let number = 1; number <= this.document.numPages; number++) {
        const text = await this.pageText(number);
        if (generation !== this.generation || normalised !== this.findQuery) return;
        if (text.toLowerCase().includes(normalised)) this.findHits.push(number);
      }
    }
    if (this.findHits.length === 0) {
      this.options.onStatus(this.options.strings.notFound.replace('{0}', query), false);
      return;
    }
    const current = this.currentPage();
    if (this.findIndex < 0) this.findIndex = Math.max(0, this.findHits.findIndex((page) => page >= current));
    else this.findIndex = (this.findIndex + (backwards ? -1 : 1) + this.findHits.length) % this.findHits.length;
    const page = this.findHits[this.findIndex];
    this.goTo(page);
    this.options.onStatus(this.options.strings.found.replace('{0}', String(page)).replace('{1}', String(this.findHits.length)), false);
  }

  private async pageText(number: number): Promise<string> {
    const known = this.pageTexts.get(number);
    if (known !== undefined) return known;
    const page = await this.document!.getPage(number);
    const content = await page.getTextContent();
    const text = content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
    this.pageTexts.set(number, text);
    page.cleanup();
    return text;
  }

  /** The text selected in the PDF and the page it starts on. */
  selection(): { text: string; page: number } | undefined {
    const selection = window.getSelection();
    const text = selection?.toString().replace(/\s+/g, ' ').trim();
    if (!selection || !text || selection.rangeCount === 0) return undefined;
    const node = selection.getRangeAt(0).startContainer;
    const element = node instanceof HTMLElement ? node : node.parentElement;
    const page = element?.closest<HTMLElement>('.pdf-page');
    if (!page || !this.options.container.contains(page)) return undefined;
    return { text, page: Number(page.dataset.page) };
  }

  close(): void {
    this.generation++;
    this.observer?.disconnect();
    this.observer = undefined;
    for (const slot of this.slots) this.release(slot);
    this.slots = [];
    this.queue = [];
    this.pageTexts.clear();
    this.findQuery = '';
    this.findHits = [];
    this.findIndex = -1;
    void this.task?.destroy();
    this.task = undefined;
    this.document = undefined;
    this.url = undefined;
    this.opening = undefined;
    this.options.container.replaceChildren();
    delete this.options.container.dataset.state;
  }
}

function splitFind(text: string, query: string): { text: string; hit: boolean }[] {
  const lower = text.toLowerCase();
  const parts: { text: string; hit: boolean }[] = [];
  let at = 0;
  for (let found = lower.indexOf(query); found >= 0; found = lower.indexOf(query, found + query.length)) {
    if (found > at) parts.push({ text: text.slice(at, found), hit: false });
    parts.push({ text: text.slice(found, found + query.length), hit: true });
    at = found + query.length;
  }
  if (at < text.length || parts.length === 0) parts.push({ text: text.slice(at), hit: false });
  return parts;
}
