/**
 * The record reader (browser side). Renders the record the host sends with DOM APIs only: every
 * string from a record reaches the page through text nodes (records are untrusted input), the
 * include- and exclude-terms are wrapped in <mark> elements built here. Keys and buttons post
 * `reader/action` messages naming the record and stage on screen; links post `reader/open` and
 * the host opens them. While an action is on its way, further actions wait for the host's answer
 * (a second key press never lands on the record that was just decided).
 */
import { TermMatcher, type TermKind } from '../screening/highlight';
import { PdfViewer } from './pdf/viewer';
import type {
  ReaderAction,
  ReaderDecision,
  ReaderHostMessage,
  ReaderPage,
  ReaderRecord,
  ReaderRelevance,
  ReaderReport,
  ReaderStage,
  ReaderStageView,
  ReaderViewState,
  ReaderWebviewMessage,
} from './protocol';

type ShowMessage = Extract<ReaderHostMessage, { type: 'reader/show' }>;

interface VsCodeApi<State> {
  postMessage(message: ReaderWebviewMessage): void;
  getState(): State | undefined;
  setState(state: State): void;
}
declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

const vscode = acquireVsCodeApi<ReaderViewState>();

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing`);
  return element as T;
};

const strings = JSON.parse(byId<HTMLScriptElement>('strings').textContent ?? '{}') as Record<string, string>;
const s = (key: string, ...args: (string | number)[]): string => (strings[key] ?? key).replace(/\{(\d+)\}/g, (_, n: string) => String(args[Number(n)] ?? ''));

const message = byId<HTMLParagraphElement>('message');
const main = byId<HTMLElement>('record');
const status = byId<HTMLDivElement>('status');
const position = byId<HTMLParagraphElement>('position');
const title = byId<HTMLHeadingElement>('title');
const byline = byId<HTMLParagraphElement>('byline');
const citation = byId<HTMLParagraphElement>('citation');
const links = byId<HTMLParagraphElement>('links');
const duplicate = byId<HTMLParagraphElement>('duplicate');
const decisions = byId<HTMLElement>('decisions');
const relevance = byId<HTMLElement>('relevance');
const keywords = byId<HTMLParagraphElement>('keywords');
const legend = byId<HTMLParagraphElement>('legend');
const abstract = byId<HTMLElement>('abstract');
const fulltext = byId<HTMLDetailsElement>('fulltext');
const fulltextSummary = byId<HTMLElement>('fulltext-summary');
const fulltextBody = byId<HTMLDivElement>('fulltext-body');
const source = byId<HTMLParagraphElement>('source');
const buttons = Array.from(document.querySelectorAll<HTMLButtonElement>('button[data-action]'));
const report = byId<HTMLElement>('report');
const reportState = byId<HTMLSpanElement>('report-state');
const pdfToolbar = byId<HTMLDivElement>('pdf-toolbar');
const pdfPage = byId<HTMLInputElement>('pdf-page');
const pdfPages = byId<HTMLSpanElement>('pdf-pages');
const pdfZoom = byId<HTMLSpanElement>('pdf-zoom');
const pdfFind = byId<HTMLInputElement>('pdf-find');
const pdfStatus = byId<HTMLDivElement>('pdf-status');
const pdfView = byId<HTMLDivElement>('pdf-view');
const pdfButtons = Array.from(document.querySelectorAll<HTMLButtonElement>('button[data-pdf]'));

const viewer = new PdfViewer({
  container: pdfView,
  workerSrc: pdfView.dataset.worker ?? '',
  cMapUrl: pdfView.dataset.cmaps ?? '',
  standardFontDataUrl: pdfView.dataset.fonts ?? '',
  onStatus: (text, error) => {
    pdfStatus.textContent = text;
    pdfStatus.classList.toggle('error', error);
    document.body.dataset.pdfState = error ? 'error' : (pdfView.dataset.state ?? 'loading');
  },
  onPage: (page, pages) => {
    if (document.activeElement !== pdfPage) pdfPage.value = String(page);
    pdfPage.max = String(pages);
    pdfPages.textContent = s('pdfPages', pages);
    pdfZoom.textContent = `${Math.round(viewer.zoom * 100)} %`;
    document.body.dataset.pdfPages = String(pages);
    document.body.dataset.pdfState = pdfView.dataset.state ?? 'open';
  },
  // Raw templates: the viewer fills in their {0} and {1}.
  strings: { loading: s('pdfLoading'), encrypted: s('pdfEncrypted'), damaged: strings.pdfDamaged ?? '', found: strings.pdfFound ?? '', notFound: strings.pdfNotFound ?? '' },
});

let state: ReaderViewState = { stage: 'title-abstract', fullTextOpen: false, ...vscode.getState() };
/** What is on screen: the host's last page, or a prefetched one shown ahead of the host's answer. */
let shown: ReaderPage | undefined;
/** Prefetched pages for the page on screen (only while it is the host's own). */
let prefetch: ShowMessage['prefetch'];
let autoAdvance = true;
let matcher = new TermMatcher({ include: [], exclude: [] });
let termsKey = '';
let busy = false;
let busyTimer: ReturnType<typeof setTimeout> | undefined;
let actionStarted: number | undefined;
/** Set while a page shown ahead of the host waits for the host's confirmation. */
let confirming: { recordId: string; started: number; seq: number } | undefined;
let actionSeq = 0;
let renderedFullText: string | undefined;

function saveState(next: Partial<ReaderViewState>): void {
  state = { ...state, ...next };
  vscode.setState(state);
  vscode.postMessage({ type: 'reader/state', state });
}

// ---------------------------------------------------------------------------------------------
// Actions

const DECISIONS: ReadonlySet<ReaderAction> = new Set(['include', 'exclude', 'maybe', 'not-retrieved', 'resolve']);

/** A key pressed while the host was busy with the last action: replayed on the page it shows next. */
let queued: ReaderAction | undefined;
/**
 * A decision key pressed while busy is not replayed (the next page was not on screen when it was
 * pressed, so it would decide a record the reviewer has not seen); the next page says so instead.
 */
let droppedDecision = false;

function act(action: ReaderAction): void {
  if (!shown) return;
  if (busy) {
    if (DECISIONS.has(action)) droppedDecision = true;
    else queued = action;
    return;
  }
  const button = buttons.find((candidate) => candidate.dataset.action === action);
  if (button && (button.disabled || button.hidden)) return;
  const started = performance.now();
  const seq = ++actionSeq;
  const ahead = pageAhead(action);
  vscode.postMessage({ type: 'reader/action', action, recordId: shown.record.id, stage: shown.stage, seq, ...(ahead ? { ahead: ahead.record.id } : {}) });
  if (!ahead) {
    setBusy(true);
    actionStarted = started;
    return;
  }
  // The host will show this page; show it now (its answer follows and settles it).
  prefetch = undefined;
  confirming = { recordId: ahead.record.id, started, seq };
  const verdict = action === 'include' || action === 'maybe' || action === 'not-retrieved' ? s(action) : undefined;
  renderPage(ahead, verdict ? `${verdict} …` : '');
  requestAnimationFrame(() => {
    document.body.dataset.lastActionMs = (performance.now() - started).toFixed(1);
  });
}

/** The prefetched page an action leads to, when the page on screen has one. */
function pageAhead(action: ReaderAction): ReaderPage | undefined {
  if (!prefetch || !shown) return undefined;
  switch (action) {
    case 'include':
    case 'maybe':
    case 'not-retrieved':
      return autoAdvance && shown.writable ? prefetch.nextUnscreened : undefined;
    case 'next':
      return prefetch.next;
    case 'previous':
      return prefetch.previous;
    case 'next-unscreened':
      return prefetch.nextUnscreened;
    default:
      return undefined;
  }
}

function setBusy(value: boolean): void {
  busy = value;
  document.body.dataset.busy = String(value);
  clearTimeout(busyTimer);
  // Never stuck: a host that does not answer (a picker left open) frees the keys after a while.
  if (value) busyTimer = setTimeout(() => setBusy(false), 15_000);
}

for (const button of buttons) button.addEventListener('click', () => act(button.dataset.action as ReaderAction));

const KEYS: Record<string, ReaderAction> = {
  i: 'include',
  e: 'exclude',
  m: 'maybe',
  r: 'not-retrieved',
  n: 'note',
  u: 'undo',
  v: 'resolve',
  j: 'next',
  ArrowRight: 'next',
  k: 'previous',
  ArrowLeft: 'previous',
  ' ': 'next-unscreened',
  '/': 'search',
};

document.addEventListener('keydown', (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target as HTMLElement | null;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
  if (pdfShown() && pdfKey(event)) {
    event.preventDefault();
    return;
  }
  const action = KEYS[event.key.length === 1 ? event.key.toLowerCase() : event.key];
  if (!action) return;
  // Space on a focused button or summary is that control's own key.
  if (event.key === ' ' && target && /^(BUTTON|SUMMARY|A)$/.test(target.tagName)) return;
  event.preventDefault();
  // A held key repeats: never repeat a decision.
  if (event.repeat && DECISIONS.has(action)) return;
  act(action);
});

links.addEventListener('click', (event) => {
  const link = (event.target as HTMLElement).closest<HTMLAnchorElement>('a[data-open]');
  if (!link || !shown) return;
  event.preventDefault();
  vscode.postMessage({ type: 'reader/open', target: link.dataset.open as 'doi' | 'pmid' | 'url', recordId: shown.record.id });
});

decisions.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-stage]');
  if (!button || !shown || busy) return;
  setBusy(true);
  vscode.postMessage({ type: 'reader/stage', stage: button.dataset.stage as ReaderStage, recordId: shown.record.id });
});

// ---------------------------------------------------------------------------------------------
// The PDF at full text

function pdfShown(): boolean {
  return !pdfView.hidden;
}

/** q quote, f find, + / - zoom: the PDF's keys (the decision keys stay the reader's). */
function pdfKey(event: KeyboardEvent): boolean {
  switch (event.key) {
    case 'q':
      quoteSelection();
      return true;
    case 'f':
      pdfFind.focus();
      pdfFind.select();
      return true;
    case '+':
    case '=':
      viewer.setZoom(viewer.zoom * 1.2);
      return true;
    case '-':
      viewer.setZoom(viewer.zoom / 1.2);
      return true;
    default:
      return false;
  }
}

function quoteSelection(): void {
  if (!shown) return;
  const selected = viewer.selection();
  if (!selected) {
    showStatus(s('quoteNone'), true);
    return;
  }
  vscode.postMessage({ type: 'reader/quote', recordId: shown.record.id, stage: shown.stage, text: selected.text, page: selected.page });
}

for (const button of pdfButtons) {
  button.addEventListener('click', () => {
    if (!shown) return;
    const action = button.dataset.pdf;
    switch (action) {
      case 'attach':
      case 'detach':
      case 'match':
        vscode.postMessage({ type: 'reader/pdf', action, recordId: shown.record.id });
        break;
      case 'previous':
        viewer.goTo(viewer.currentPage() - 1);
        break;
      case 'next-page':
        viewer.goTo(viewer.currentPage() + 1);
        break;
      case 'zoom-in':
        viewer.setZoom(viewer.zoom * 1.2);
        break;
      case 'zoom-out':
        viewer.setZoom(viewer.zoom / 1.2);
        break;
      case 'fit':
        viewer.fitWidth();
        break;
      case 'quote':
        quoteSelection();
        break;
    }
    pdfZoom.textContent = `${Math.round(viewer.zoom * 100)} %`;
  });
}

pdfPage.addEventListener('change', () => viewer.goTo(Number(pdfPage.value) || 1));
pdfFind.addEventListener('keydown', (event) => {
  if (event.key === 'Enter') {
    event.preventDefault();
    void viewer.find(pdfFind.value, event.shiftKey);
  } else if (event.key === 'Escape') {
    pdfFind.blur();
    pdfView.focus();
  }
});

// A PDF dropped onto the reader is attached to the record (hold Shift while dragging from the Explorer).
document.addEventListener('dragover', (event) => {
  if (!shown || shown.stage !== 'full-text') return;
  event.preventDefault();
  if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
});
document.addEventListener('drop', (event) => {
  if (!shown || shown.stage !== 'full-text' || !event.dataTransfer) return;
  event.preventDefault();
  const text = event.dataTransfer.getData('text/uri-list') || event.dataTransfer.getData('text/plain');
  const uris = text.split(/\r?\n/).filter((line) => line.trim() && !line.startsWith('#'));
  vscode.postMessage({ type: 'reader/drop', recordId: shown.record.id, uris });
});

function renderReport(data: ReaderPage): void {
  const info: ReaderReport | undefined = data.stage === 'full-text' ? data.report : undefined;
  report.hidden = !info;
  main.classList.toggle('with-pdf', info?.size !== undefined);
  document.body.dataset.report = info?.state ?? '';
  if (!info) {
    closePdf();
    return;
  }
  reportState.textContent = info.how ? `${info.label} · ${s('pdfHow', info.how)}` : info.label;
  for (const button of pdfButtons) {
    if (button.dataset.pdf === 'detach') button.hidden = !info.file;
    if (button.dataset.pdf === 'match') button.hidden = info.state === 'found';
    if (button.dataset.pdf === 'attach') button.textContent = info.file ? s('replacePdf') : s('attachPdf');
  }
  if (info.size === undefined) {
    closePdf();
    if (info.problem) {
      pdfStatus.textContent = info.problem;
      pdfStatus.classList.add('error');
      document.body.dataset.pdfState = 'error';
    }
    return;
  }
  pdfToolbar.hidden = false;
  pdfView.hidden = false;
  const recordId = data.record.id;
  const key = `${recordId}|${info.file ?? ''}|${info.version ?? ''}`;
  if (viewer.url !== key) {
    pdfFind.value = '';
    document.body.dataset.pdfState = 'loading';
  }
  void viewer.open({ key, size: info.size, read: (begin, end) => readPdf(recordId, begin, end) }, matcher).then(() => {
    pdfZoom.textContent = `${Math.round(viewer.zoom * 100)} %`;
    if (viewer.firstPageMs !== undefined) document.body.dataset.pdfFirstPageMs = viewer.firstPageMs.toFixed(0);
    if (pdfView.dataset.state === 'open') document.body.dataset.pdfState = 'open';
  });
}

let readSeq = 0;
const reads = new Map<number, { resolve(data: Uint8Array): void; reject(error: Error): void }>();

/** Bytes of the record's PDF, read by the host. */
function readPdf(recordId: string, begin: number, end: number): Promise<Uint8Array> {
  const id = ++readSeq;
  return new Promise((resolve, reject) => {
    reads.set(id, { resolve, reject });
    vscode.postMessage({ type: 'reader/pdf-read', id, recordId, begin, end });
  });
}

function closePdf(): void {
  pdfToolbar.hidden = true;
  pdfView.hidden = true;
  pdfStatus.textContent = '';
  viewer.close();
  delete document.body.dataset.pdfState;
  delete document.body.dataset.pdfFirstPageMs;
  delete document.body.dataset.pdfPages;
}

fulltext.addEventListener('toggle', () => {
  saveState({ fullTextOpen: fulltext.open });
  if (fulltext.open) renderFullText();
});

// ---------------------------------------------------------------------------------------------
// Rendering (text nodes only)

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (text !== undefined) element.textContent = text;
  if (className) element.className = className;
  return element;
}

/** `text` with the terms marked, as nodes. */
function highlighted(text: string): Node[] {
  if (matcher.empty) return [document.createTextNode(text)];
  return matcher.segments(text).map((segment) => {
    if (!segment.kind) return document.createTextNode(segment.text);
    const mark = el('mark', segment.text, `term term-${segment.kind}`);
    mark.title = `${segment.kind === 'include' ? s('includeTerms') : s('excludeTerms')}: ${segment.term ?? ''}`;
    return mark;
  });
}

const STRUCTURED_LABEL = /(?:^|\s)((?:[A-Z][A-Z/&-]*)(?: [A-Z][A-Z/&-]*){0,3}):\s/g;

/** The abstract as paragraphs: one per structured heading (BACKGROUND:, METHODS:, …) when it has them. */
function abstractParagraphs(text: string): { label?: string; body: string }[] {
  const found: { label: string; start: number; bodyStart: number }[] = [];
  STRUCTURED_LABEL.lastIndex = 0;
  for (let match = STRUCTURED_LABEL.exec(text); match; match = STRUCTURED_LABEL.exec(text)) {
    if (match[1].replace(/[^A-Z]/g, '').length < 3) continue;
    const start = match.index + match[0].indexOf(match[1]);
    found.push({ label: match[1], start, bodyStart: match.index + match[0].length });
  }
  if (found.length < 2) return text.split(/\n\s*\n/).map((body) => ({ body: body.trim() })).filter((part) => part.body);
  const parts: { label?: string; body: string }[] = [];
  if (found[0].start > 0 && text.slice(0, found[0].start).trim()) parts.push({ body: text.slice(0, found[0].start).trim() });
  found.forEach((entry, i) => parts.push({ label: entry.label, body: text.slice(entry.bodyStart, found[i + 1]?.start ?? text.length).trim() }));
  return parts;
}

function render(data: ShowMessage): void {
  // Sent before the host saw the action whose page is on screen: that page is newer.
  if (confirming && data.ack < confirming.seq) return;
  const key = JSON.stringify(data.terms);
  if (key !== termsKey) {
    termsKey = key;
    matcher = new TermMatcher(data.terms);
  }
  autoAdvance = data.autoAdvance;
  document.body.dataset.sequence = String(data.sequence);
  // A re-render of the record on screen (counts, a retraining) keeps the line saying what was just done.
  const kept = shown?.record.id === data.record.id && status.textContent ? status.textContent : undefined;
  renderPage(data, data.notice ?? kept ?? (data.writable ? '' : s('readOnly')));
  prefetch = data.prefetch;
  const now = performance.now();
  if (confirming) {
    if (confirming.recordId === data.record.id) document.body.dataset.lastConfirmMs = (now - confirming.started).toFixed(1);
    confirming = undefined;
  }
  if (actionStarted !== undefined) {
    // Key press (or click) to the next record on screen: a figure for tests and benchmarks.
    document.body.dataset.lastActionMs = (now - actionStarted).toFixed(1);
    document.body.dataset.lastConfirmMs = document.body.dataset.lastActionMs;
    actionStarted = undefined;
  }
  setBusy(false);
}

function renderPage(data: ReaderPage, notice: string): void {
  const sameRecord = shown?.record.id === data.record.id;
  shown = data;
  const record = data.record;
  message.hidden = true;
  main.hidden = false;
  document.body.dataset.state = 'record';
  document.body.dataset.recordId = record.id;
  document.body.dataset.stage = data.stage;

  position.textContent = data.position;
  title.replaceChildren(...highlighted(record.title.trim() || '—'));
  byline.replaceChildren();
  if (record.authors.length > 0) byline.append(el('span', record.authors.join('; ')));
  citation.textContent = citationText(record);
  renderLinks(record);
  duplicate.hidden = record.duplicateOf === undefined;
  duplicate.textContent = record.duplicateOf === undefined ? '' : s('duplicateOf', record.duplicateOf);
  renderDecisions(data.stages, data.stage);
  renderRelevance(data.relevance);
  renderKeywords(record);
  renderLegend(record);
  renderAbstract(record);
  renderReport(data);
  if (!sameRecord) renderedFullText = undefined;
  fulltext.hidden = !record.fullText;
  if (record.fullText) {
    fulltextSummary.textContent = s('fullText', record.fullText.split(/\s+/).filter(Boolean).length.toLocaleString('en-US'));
    fulltext.open = state.fullTextOpen;
    if (fulltext.open) renderFullText();
    else fulltextBody.replaceChildren();
  }
  source.textContent = `${s('source')}: ${record.source} · ${record.id}`;

  const current = data.stages.find((stage) => stage.stage === data.stage);
  const canDecide = data.writable && current?.applicable === true;
  for (const button of buttons) {
    const action = button.dataset.action as ReaderAction;
    if (action === 'not-retrieved') button.hidden = data.stage !== 'full-text';
    if (action === 'resolve') button.hidden = !current?.conflict;
    if (action === 'include' || action === 'exclude' || action === 'maybe' || action === 'not-retrieved' || action === 'note') button.disabled = !canDecide;
    if (action === 'include' || action === 'exclude' || action === 'maybe' || action === 'not-retrieved') {
      button.setAttribute('aria-pressed', String(current?.mine?.verdict === action));
    }
  }
  showStatus(notice, false);
  if (!sameRecord) window.scrollTo(0, 0);
  saveState({ recordId: record.id, stage: data.stage });
}

function citationText(record: ReaderRecord): string {
  const volume = [record.volume, record.issue ? `(${record.issue})` : ''].join('');
  return [record.journal, record.year?.toString(), [volume, record.pages].filter(Boolean).join(':')].filter(Boolean).join(' · ');
}

function renderLinks(record: ReaderRecord): void {
  links.replaceChildren();
  const add = (kind: 'doi' | 'pmid' | 'url', label: string, text: string) => {
    if (links.childNodes.length > 0) links.append(document.createTextNode(' · '));
    links.append(el('span', `${label} `, 'link-label'));
    const link = el('a', text);
    link.href = '#';
    link.dataset.open = kind;
    link.title = kind === 'doi' ? 'https://doi.org/…' : kind === 'pmid' ? 'https://pubmed.ncbi.nlm.nih.gov/…' : text;
    links.append(link);
  };
  if (record.doi) add('doi', 'DOI', record.doi);
  if (record.pmid) add('pmid', 'PMID', record.pmid);
  if (record.url) add('url', 'URL', record.url.length > 60 ? `${record.url.slice(0, 59)}…` : record.url);
  links.hidden = links.childNodes.length === 0;
}

function verdictText(decision: ReaderDecision): string {
  const verdict = s(decision.verdict);
  return decision.reason ? `${verdict}: ${decision.reason}` : verdict;
}

function decisionLine(decision: ReaderDecision, who: string): HTMLElement {
  const line = el('div', undefined, `decision verdict-${decision.verdict}`);
  line.append(el('span', who, 'who'), el('span', verdictText(decision), 'verdict'));
  const time = new Date(decision.time);
  if (!Number.isNaN(time.getTime())) line.append(el('span', time.toLocaleString(), 'time'));
  if (decision.note) line.append(el('span', `${s('note')}: ${decision.note}`, 'note'));
  return line;
}

function renderDecisions(stages: ReaderStageView[], current: ReaderStage): void {
  decisions.replaceChildren();
  decisions.hidden = stages.length === 0;
  for (const stage of stages) {
    if (!stage.applicable && !stage.mine && stage.others.length === 0 && stage.stage !== current) continue;
    const box = el('div', undefined, `stage${stage.stage === current ? ' current' : ''}${stage.group ? ` group-${stage.group}` : ''}`);
    const heading = el('div', undefined, 'stage-heading');
    const label = el('button', stage.label, 'stage-label');
    label.type = 'button';
    label.dataset.stage = stage.stage;
    label.setAttribute('aria-pressed', String(stage.stage === current));
    label.disabled = stage.stage === current;
    heading.append(label, el('span', stage.stateLabel, 'state'));
    box.append(heading);
    if (stage.mine) box.append(decisionLine(stage.mine, s('yourDecision')));
    else if (stage.applicable) box.append(el('div', s('notDecided'), 'decision none'));
    for (const other of stage.others) box.append(decisionLine(other, other.reviewer));
    if (stage.hidden > 0) box.append(el('div', s('hidden', stage.hidden), 'decision hidden-note'));
    if (stage.resolution) box.append(decisionLine(stage.resolution, s('resolution', stage.resolution.reviewer)));
    if (stage.pendingNote) box.append(el('div', `${s('pendingNote')}: ${stage.pendingNote}`, 'decision pending-note'));
    decisions.append(box);
  }
}

let stoppingOpen = false;

/** The record's relevance (rank and a plain-language label) and the stopping aid, all as text. */
function renderRelevance(data: ReaderRelevance | undefined): void {
  relevance.replaceChildren();
  relevance.hidden = data === undefined;
  delete document.body.dataset.relevanceTier;
  if (!data) return;
  if (data.summary) {
    const line = el('p', undefined, `relevance-summary${data.tier ? ` tier-${data.tier}` : ''}`);
    line.append(el('span', `${s('relevance')}: `, 'link-label'), el('span', data.summary, 'relevance-label'));
    relevance.append(line);
    if (data.tier) document.body.dataset.relevanceTier = data.tier;
  }
  if (data.detail) relevance.append(el('p', data.detail, 'relevance-detail'));
  const stopping = el('details', undefined, 'stopping');
  stopping.append(el('summary', s('stoppingAid')), el('p', data.stopping, 'stopping-text'));
  // Stays open from record to record once the reviewer opened it.
  stopping.open = stoppingOpen;
  stopping.addEventListener('toggle', () => (stoppingOpen = stopping.open));
  relevance.append(stopping);
}

function renderKeywords(record: ReaderRecord): void {
  keywords.replaceChildren();
  keywords.hidden = record.keywords.length === 0;
  if (record.keywords.length === 0) return;
  keywords.append(el('span', `${s('keywords')}: `, 'link-label'));
  record.keywords.forEach((keyword, i) => {
    if (i > 0) keywords.append(document.createTextNode(' · '));
    const chip = el('span', undefined, 'keyword');
    chip.append(...highlighted(keyword));
    keywords.append(chip);
  });
}

function renderLegend(record: ReaderRecord): void {
  legend.replaceChildren();
  if (matcher.empty) {
    legend.hidden = true;
    return;
  }
  const counts: Record<TermKind, number> = matcher.count(record.title, record.abstract, record.keywords.join(' '));
  legend.hidden = false;
  for (const kind of ['include', 'exclude'] as const) {
    const chip = el('mark', `${kind === 'include' ? s('includeTerms') : s('excludeTerms')}: ${counts[kind]}`, `term term-${kind}`);
    legend.append(chip, document.createTextNode(' '));
  }
}

function renderAbstract(record: ReaderRecord): void {
  abstract.replaceChildren();
  if (!record.abstract) {
    abstract.append(el('p', s('noAbstract'), 'empty'));
    return;
  }
  for (const part of abstractParagraphs(record.abstract)) {
    const paragraph = el('p');
    if (part.label) paragraph.append(el('strong', `${part.label}: `, 'abstract-label'));
    paragraph.append(...highlighted(part.body));
    abstract.append(paragraph);
  }
}

function renderFullText(): void {
  const text = shown?.record.fullText;
  if (!text || renderedFullText === text) return;
  renderedFullText = text;
  fulltextBody.replaceChildren(
    ...text
      .split(/\n\s*\n/)
      .filter((part) => part.trim())
      .map((part) => {
        const paragraph = el('p');
        paragraph.append(...highlighted(part.trim()));
        return paragraph;
      }),
  );
}

function showStatus(text: string, error: boolean): void {
  status.textContent = text;
  status.classList.toggle('error', error);
}

window.addEventListener('message', (event: MessageEvent<ReaderHostMessage>) => {
  const data = event.data;
  switch (data.type) {
    case 'reader/show':
      render(data);
      replayQueued();
      break;
    case 'reader/empty':
      shown = undefined;
      prefetch = undefined;
      confirming = undefined;
      main.hidden = true;
      message.hidden = false;
      message.textContent = data.message;
      message.classList.toggle('loading', data.loading);
      document.body.dataset.state = data.loading ? 'loading' : 'empty';
      document.body.dataset.sequence = String(data.sequence);
      setBusy(false);
      break;
    case 'reader/pdf-data': {
      const pending = reads.get(data.id);
      reads.delete(data.id);
      if (data.data) pending?.resolve(data.data);
      else pending?.reject(new Error(data.error ?? 'no data'));
      break;
    }
    case 'reader/notice':
      showStatus(data.message, data.error);
      actionStarted = undefined;
      confirming = undefined;
      setBusy(false);
      replayQueued();
      break;
  }
});

/** Acts on a key pressed while busy, now that the page on screen is the host's answer. */
function replayQueued(): void {
  if (busy) return;
  if (droppedDecision) {
    droppedDecision = false;
    showStatus(s('keyNotApplied'), true);
  }
  if (!queued) return;
  const action = queued;
  queued = undefined;
  act(action);
}

vscode.postMessage({ type: 'reader/ready', state: vscode.getState() });
