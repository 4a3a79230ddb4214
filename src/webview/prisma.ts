/**
 * The PRISMA flow webview (browser side): draws the diagram with the same code as the exports
 * (src/screening/prisma-svg.ts) from the counts the host sends, themed by media/prisma.css; shows
 * the pending banner, the per-source counts on demand, the export buttons; rasterises the SVG to
 * PNG for the host. Every string from the review reaches the page as escaped SVG text or through
 * textContent, never as HTML.
 */
import type { NamedCount, PrismaCounts } from '../screening/prisma';
import { formatCount, pendingHeadline, renderPrismaSvg } from '../screening/prisma-svg';
import type { PrismaExportFormat, PrismaHostMessage, PrismaViewState, PrismaWebviewMessage } from './protocol';

interface VsCodeApi<State> {
  postMessage(message: PrismaWebviewMessage): void;
  getState(): State | undefined;
  setState(state: State): void;
}
declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

const vscode = acquireVsCodeApi<PrismaViewState>();
let counts: PrismaCounts | undefined;
let reviewTitle: string | undefined;
let lastLabels = new Map<string, string>();

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing`);
  return element as T;
};
const diagram = byId<HTMLDivElement>('diagram');
const banner = byId<HTMLDivElement>('banner');
const bannerHeadline = byId<HTMLParagraphElement>('banner-headline');
const bannerDetail = byId<HTMLParagraphElement>('banner-detail');
const message = byId<HTMLParagraphElement>('message');
const sources = byId<HTMLDetailsElement>('sources');
const sourceRows = byId<HTMLTableSectionElement>('source-rows');
const detail = byId<HTMLInputElement>('detail');
const announcer = byId<HTMLDivElement>('announcer');
const exportStatus = byId<HTMLSpanElement>('export-status');
const exportButtons = Array.from(document.querySelectorAll<HTMLButtonElement>('button[data-export]'));

// The host writes the initial view state into the page; a state saved by this webview wins.
let state: PrismaViewState = { detail: detail.checked, sourcesOpen: sources.open, ...vscode.getState() };
detail.checked = state.detail;
sources.open = state.sourcesOpen;

function saveState(next: Partial<PrismaViewState>): void {
  state = { ...state, ...next };
  vscode.setState(state);
  vscode.postMessage({ type: 'prisma/state', state });
}

detail.addEventListener('change', () => {
  saveState({ detail: detail.checked });
  render(false);
});
sources.addEventListener('toggle', () => saveState({ sourcesOpen: sources.open }));
for (const button of exportButtons) {
  button.addEventListener('click', () => {
    exportStatus.textContent = '';
    vscode.postMessage({ type: 'prisma/export', format: button.dataset.export as PrismaExportFormat });
  });
}

// Arrow keys move between the boxes (Tab works too); Home and End go to the first and last.
diagram.addEventListener('keydown', (event) => {
  const boxes = Array.from(diagram.querySelectorAll<SVGGElement>('[data-box][tabindex]'));
  const current = boxes.indexOf((event.target as Element).closest?.('[data-box]') as SVGGElement);
  if (current < 0) return;
  const moves: Record<string, number> = { ArrowDown: current + 1, ArrowRight: current + 1, ArrowUp: current - 1, ArrowLeft: current - 1, Home: 0, End: boxes.length - 1 };
  const target = moves[event.key];
  if (target === undefined) return;
  event.preventDefault();
  boxes[Math.max(0, Math.min(boxes.length - 1, target))]?.focus();
});

window.addEventListener('message', (event: MessageEvent<PrismaHostMessage>) => {
  const data = event.data;
  switch (data.type) {
    case 'prisma/update':
      counts = data.counts;
      reviewTitle = data.reviewTitle;
      render(true);
      // How many updates were drawn: lets tests (and bug reports) tell a redraw happened.
      document.body.dataset.sequence = String(data.sequence);
      break;
    case 'prisma/empty':
      counts = undefined;
      showMessage(data.message, data.loading);
      break;
    case 'prisma/rasterize':
      void rasterize(data);
      break;
    case 'prisma/exported':
      exportStatus.textContent = data.message;
      exportStatus.classList.toggle('error', !data.ok);
      break;
  }
});

function showMessage(text: string, loading: boolean): void {
  message.textContent = text;
  message.hidden = false;
  message.classList.toggle('loading', loading);
  diagram.replaceChildren();
  banner.hidden = true;
  sources.hidden = true;
  for (const button of exportButtons) button.disabled = true;
  document.body.dataset.state = loading ? 'loading' : 'empty';
}

function render(fromHost: boolean): void {
  if (!counts) return;
  const focused = (document.activeElement?.closest?.('[data-box]') as Element | null)?.getAttribute('data-box') ?? undefined;
  const svgText = renderPrismaSvg(counts, { detail: state.detail, reviewTitle, idPrefix: 'prisma' });
  const parsed = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const root = parsed.documentElement;
  if (root.localName !== 'svg' || parsed.getElementsByTagName('parsererror').length > 0) {
    showMessage('The diagram could not be drawn.', false);
    return;
  }
  const svg = document.importNode(root, true) as unknown as SVGSVGElement;
  const width = Number(svg.getAttribute('width'));
  // Fit the panel, but never shrink the text below about 70 %: scroll instead.
  svg.style.width = '100%';
  svg.style.maxWidth = `${width}px`;
  svg.style.minWidth = `${Math.round(width * 0.7)}px`;
  svg.removeAttribute('height');
  diagram.replaceChildren(svg);
  message.hidden = true;
  sources.hidden = false;
  for (const button of exportButtons) button.disabled = false;

  if (focused) diagram.querySelector<SVGGElement>(`[data-box="${CSS.escape(focused)}"]`)?.focus();

  const pending = counts.pending;
  banner.hidden = pending.total === 0;
  document.body.dataset.state = pending.total > 0 ? 'pending' : 'final';
  bannerHeadline.textContent = pendingHeadline(counts);
  bannerDetail.textContent = 'The diagram shows where they wait; an export made now carries the same notice.';

  renderSources(counts);
  announceChanges(svg, fromHost);
}

function renderSources(c: PrismaCounts): void {
  const rows: [string, string, number][] = [];
  const add = (category: string, list: readonly NamedCount[]) => {
    for (const item of list) rows.push([item.name, category, item.n]);
  };
  add('Database', c.database_specific_results);
  add('Register', c.register_specific_results);
  if (c.website_results > 0) rows.push(['Websites', 'Other methods', c.website_results]);
  if (c.organisation_results > 0) rows.push(['Organisations', 'Other methods', c.organisation_results]);
  if (c.citations_results > 0) rows.push(['Citation searching', 'Other methods', c.citations_results]);
  sourceRows.replaceChildren(
    ...rows.map(([name, category, n]) => {
      const tr = document.createElement('tr');
      for (const [text, numeric] of [
        [name, false],
        [category, false],
        [formatCount(n), true],
      ] as const) {
        const td = document.createElement('td');
        td.textContent = text;
        if (numeric) td.className = 'numeric';
        tr.append(td);
      }
      return tr;
    }),
  );
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    td.colSpan = 3;
    td.textContent = 'No sources yet.';
    tr.append(td);
    sourceRows.append(tr);
  }
}

/** Tells screen readers which boxes changed (polite live region), not on the first drawing. */
function announceChanges(svg: SVGSVGElement, fromHost: boolean): void {
  const labels = new Map<string, string>();
  for (const box of Array.from(svg.querySelectorAll('[data-box]'))) labels.set(box.getAttribute('data-box') ?? '', box.getAttribute('aria-label') ?? '');
  if (fromHost && lastLabels.size > 0) {
    const changed = [...labels].filter(([id, label]) => lastLabels.get(id) !== label && id !== 'pending').map(([, label]) => label);
    if (changed.length > 0) announcer.textContent = `Updated: ${changed.slice(0, 4).join('. ')}${changed.length > 4 ? ` and ${changed.length - 4} more boxes` : ''}.`;
  }
  lastLabels = labels;
}

async function rasterize(request: Extract<PrismaHostMessage, { type: 'prisma/rasterize' }>): Promise<void> {
  const url = URL.createObjectURL(new Blob([request.svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the SVG could not be loaded as an image'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(request.width * request.scale);
    canvas.height = Math.round(request.height * request.scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas');
    context.fillStyle = '#FFFFFF';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((png) => (png ? resolve(png) : reject(new Error('the canvas gave no PNG'))), 'image/png'));
    vscode.postMessage({ type: 'prisma/rasterized', id: request.id, pngBase64: toBase64(new Uint8Array(await blob.arrayBuffer())) });
  } catch (error) {
    vscode.postMessage({ type: 'prisma/rasterized', id: request.id, error: error instanceof Error ? error.message : String(error) });
  } finally {
    URL.revokeObjectURL(url);
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

vscode.postMessage({ type: 'prisma/ready', state });
