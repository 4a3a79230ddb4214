/**
 * The PRISMA flow webview panel and its commands:
 *
 *   screening.showPrisma    Screening: Show PRISMA Flow
 *   screening.exportPrisma  Screening: Export PRISMA Flow…  (format, then a save dialog)
 *       arguments, all optional: (format: 'svg'|'png'|'csv'|'md'|'json', target: Uri | absolute path)
 *       resolves with the Uri written, or undefined when cancelled.
 *
 * The panel draws the counts of the session's review (src/webview/prisma.ts) and redraws within a
 * fraction of a second of any change (a decision, an import, a file changed on disk). One panel
 * per window; it survives reloads through a WebviewPanelSerializer and keeps its view state
 * (per-source detail, disclosure) with getState/setState.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { setPngDpi } from '../screening/png';
import { PNG_DPI, PNG_SCALE, PRISMA_FORMAT_INFO, PRISMA_FORMATS, isPrismaFormat, prismaFileName, prismaText, type PrismaFormat } from '../screening/prisma-export';
import { layoutPrisma, renderLayout, type PrismaSvgOptions } from '../screening/prisma-svg';
import type { Review } from '../screening/review';
import type { PrismaHostMessage, PrismaViewState, PrismaWebviewMessage } from '../webview/protocol';
import { errorMessage, type ReviewSession } from './reviewSession';

export const PRISMA_VIEW_TYPE = 'screening.prisma';
export const SHOW_PRISMA_COMMAND = 'screening.showPrisma';
export const EXPORT_PRISMA_COMMAND = 'screening.exportPrisma';

/** workspaceState key: list the databases and registers in the diagram (the panel's toggle). */
const DETAIL_KEY = 'screening.prisma.detail';
/** Changes arriving together (a burst of decisions, a reload) are drawn once. */
const UPDATE_DELAY_MS = 40;
const RASTERIZE_TIMEOUT_MS = 60_000;

export function registerPrisma(context: vscode.ExtensionContext, session: ReviewSession): vscode.Disposable[] {
  const controller = new PrismaController(context, session);
  return [
    controller,
    vscode.commands.registerCommand(SHOW_PRISMA_COMMAND, () => controller.show()),
    vscode.commands.registerCommand(EXPORT_PRISMA_COMMAND, (format?: unknown, target?: unknown) => controller.export(format, target)),
    vscode.window.registerWebviewPanelSerializer(PRISMA_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => controller.revive(panel, state),
    }),
  ];
}

class PrismaController implements vscode.Disposable {
  private panel: PrismaPanel | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly session: ReviewSession,
  ) {}

  private get detail(): boolean {
    return this.context.workspaceState.get<boolean>(DETAIL_KEY, false);
  }

  show(preserveFocus = false): PrismaPanel {
    if (this.panel) {
      this.panel.reveal(preserveFocus);
      return this.panel;
    }
    const panel = vscode.window.createWebviewPanel(
      PRISMA_VIEW_TYPE,
      vscode.l10n.t('PRISMA Flow'),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus },
      webviewOptions(this.context.extensionUri),
    );
    return this.adopt(panel, { detail: this.detail, sourcesOpen: false });
  }

  revive(panel: vscode.WebviewPanel, state: unknown): void {
    const saved = state && typeof state === 'object' ? (state as Partial<PrismaViewState>) : {};
    this.panel?.dispose();
    this.adopt(panel, { detail: saved.detail ?? this.detail, sourcesOpen: saved.sourcesOpen ?? false });
  }

  private adopt(panel: vscode.WebviewPanel, initial: PrismaViewState): PrismaPanel {
    const prisma = new PrismaPanel(panel, this.context.extensionUri, this.session, initial, {
      onState: (state) => void this.context.workspaceState.update(DETAIL_KEY, state.detail),
      onExport: (format) => void this.export(format, undefined),
      onDispose: () => {
        if (this.panel === prisma) this.panel = undefined;
      },
    });
    this.panel = prisma;
    return prisma;
  }

  /** Exports the flow; resolves with the file written, or undefined when cancelled or failed. */
  async export(formatArg?: unknown, targetArg?: unknown): Promise<vscode.Uri | undefined> {
    const review = this.session.review ?? (await this.session.ready());
    if (!review) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Open a folder with a review to export its PRISMA flow.'));
      return undefined;
    }
    const format = isPrismaFormat(formatArg) ? formatArg : await pickFormat();
    if (!format) return undefined;
    const info = PRISMA_FORMAT_INFO[format];
    const root = vscode.Uri.file(review.root);
    let target: vscode.Uri | undefined;
    if (targetArg instanceof vscode.Uri) target = targetArg;
    else if (typeof targetArg === 'string' && targetArg.length > 0) target = /^([a-z]:)?[\\/]/i.test(targetArg) ? vscode.Uri.file(targetArg) : vscode.Uri.joinPath(root, targetArg);
    else {
      target = await vscode.window.showSaveDialog({
        // In screening/: a file in the review folder itself would be read as a source (docs/screening-files.md).
        defaultUri: vscode.Uri.joinPath(root, 'screening', prismaFileName(format)),
        filters: { [info.label]: [info.extension] },
        saveLabel: vscode.l10n.t('Export'),
        title: vscode.l10n.t('Export the PRISMA flow as {0}', info.label),
      });
    }
    if (!target) return undefined;
    try {
      const counts = review.counts();
      const options: PrismaSvgOptions = { detail: this.panel?.state.detail ?? this.detail, reviewTitle: review.config.title };
      let bytes: Uint8Array;
      if (format === 'png') {
        const layout = layoutPrisma(counts, options);
        const panel = this.panel ?? this.show(true);
        const png = await panel.rasterize(renderLayout(layout, options), layout.width, layout.height, PNG_SCALE);
        bytes = setPngDpi(png, PNG_DPI);
      } else {
        bytes = new TextEncoder().encode(prismaText(counts, format, options));
      }
      await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(target, '..'));
      await vscode.workspace.fs.writeFile(target, bytes);
      const where = vscode.workspace.asRelativePath(target, false);
      const message =
        counts.pending.total > 0
          ? vscode.l10n.t('Exported the PRISMA flow to {0}. {1} records are still pending: the flow is not final.', where, counts.pending.total)
          : vscode.l10n.t('Exported the PRISMA flow to {0}.', where);
      this.panel?.post({ type: 'prisma/exported', message: vscode.l10n.t('Saved {0}', where), ok: true });
      void vscode.window.showInformationMessage(message);
      return target;
    } catch (error) {
      const message = vscode.l10n.t('Could not export the PRISMA flow: {0}', errorMessage(error));
      this.panel?.post({ type: 'prisma/exported', message, ok: false });
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

async function pickFormat(): Promise<PrismaFormat | undefined> {
  const picked = await vscode.window.showQuickPick(
    PRISMA_FORMATS.map((format) => ({ label: PRISMA_FORMAT_INFO[format].label, description: `.${PRISMA_FORMAT_INFO[format].extension}`, detail: PRISMA_FORMAT_INFO[format].detail, format })),
    { title: vscode.l10n.t('Export the PRISMA flow'), placeHolder: vscode.l10n.t('Choose a format') },
  );
  return picked?.format;
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableFindWidget: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

interface PanelHooks {
  onState(state: PrismaViewState): void;
  onExport(format: PrismaFormat): void;
  onDispose(): void;
}

class PrismaPanel implements vscode.Disposable {
  state: PrismaViewState;
  private ready = false;
  private readyWaiters: (() => void)[] = [];
  private dirty = true;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sequence = 0;
  private nextRequest = 1;
  private readonly requests = new Map<number, { resolve(bytes: Uint8Array): void; reject(error: Error): void }>();
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly session: ReviewSession,
    initial: PrismaViewState,
    private readonly hooks: PanelHooks,
  ) {
    this.state = initial;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'screening.svg');
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = this.html(initial);
    panel.webview.onDidReceiveMessage((message: PrismaWebviewMessage) => this.receive(message), this, this.disposables);
    panel.onDidChangeViewState(
      () => {
        // A hidden webview is torn down and starts again with `ready`; nothing to send meanwhile.
        if (!panel.visible) this.ready = false;
      },
      this,
      this.disposables,
    );
    panel.onDidDispose(() => this.dispose(), this, this.disposables);
    session.onDidChange(() => this.schedule(), this, this.disposables);
  }

  reveal(preserveFocus: boolean): void {
    this.panel.reveal(undefined, preserveFocus);
  }

  post(message: PrismaHostMessage): void {
    if (this.ready && !this.disposed) void this.panel.webview.postMessage(message);
  }

  /** Renders `svg` to PNG bytes in the webview. */
  async rasterize(svg: string, width: number, height: number, scale: number): Promise<Uint8Array> {
    await this.whenReady();
    if (this.disposed) throw new Error(vscode.l10n.t('the diagram view was closed'));
    const id = this.nextRequest++;
    return new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.requests.delete(id);
        reject(new Error(vscode.l10n.t('the diagram view did not answer')));
      }, RASTERIZE_TIMEOUT_MS);
      this.requests.set(id, {
        resolve: (bytes) => {
          clearTimeout(timer);
          resolve(bytes);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      void this.panel.webview.postMessage({ type: 'prisma/rasterize', id, svg, width, height, scale } satisfies PrismaHostMessage);
    });
  }

  private whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    if (!this.panel.visible) this.panel.reveal(undefined, true);
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  private receive(message: PrismaWebviewMessage): void {
    switch (message.type) {
      case 'prisma/ready':
        this.ready = true;
        this.state = message.state;
        this.hooks.onState(message.state);
        this.dirty = true;
        void this.update();
        for (const waiter of this.readyWaiters.splice(0)) waiter();
        break;
      case 'prisma/state':
        this.state = message.state;
        this.hooks.onState(message.state);
        break;
      case 'prisma/export':
        if (isPrismaFormat(message.format)) this.hooks.onExport(message.format);
        break;
      case 'prisma/rasterized': {
        const request = this.requests.get(message.id);
        if (!request) break;
        this.requests.delete(message.id);
        if (message.pngBase64) request.resolve(Uint8Array.from(Buffer.from(message.pngBase64, 'base64')));
        else request.reject(new Error(message.error ?? 'no image'));
        break;
      }
    }
  }

  private schedule(): void {
    this.dirty = true;
    if (this.timer || !this.ready) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.update();
    }, UPDATE_DELAY_MS);
  }

  private async update(): Promise<void> {
    if (!this.ready || !this.dirty || this.disposed) return;
    this.dirty = false;
    let review: Review | undefined = this.session.review;
    if (!review) {
      this.post({ type: 'prisma/empty', message: vscode.l10n.t('Opening the review…'), loading: true });
      review = await this.session.ready();
      if (this.session.review) review = this.session.review;
    }
    if (!review) {
      this.post({ type: 'prisma/empty', message: vscode.l10n.t('Open a folder with exported search results (or a screening/review.json) to see its PRISMA flow.'), loading: false });
      return;
    }
    this.post({ type: 'prisma/update', counts: review.counts(), reviewTitle: review.config.title, sequence: ++this.sequence });
  }

  private html(initial: PrismaViewState): string {
    const webview = this.panel.webview;
    const nonce = makeNonce();
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'prisma.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'prisma.css'));
    const t = (text: string, ...args: string[]) => escapeHtml(vscode.l10n.t(text, ...args));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      // blob: only for the PNG export (the SVG drawn on a canvas).
      `img-src ${webview.cspSource} blob:`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    const button = (format: PrismaFormat, text: string, primary = false) =>
      `<button type="button" ${primary ? 'class="primary" ' : ''}data-export="${format}" aria-label="${t('Export {0}', text)}" title="${escapeHtml(PRISMA_FORMAT_INFO[format].detail)}" disabled>${escapeHtml(text)}</button>`;
    return `${webviewHead(csp, style, t('PRISMA Flow'))}
<body data-state="loading">
<header>
  <h1>${t('PRISMA 2020 flow diagram')}</h1>
  <div class="toolbar" role="toolbar" aria-label="${t('Export the flow')}">
    <span class="toolbar-label" aria-hidden="true">${t('Export:')}</span>
    ${button('svg', 'SVG', true)}
    ${button('png', 'PNG')}
    ${button('csv', 'CSV (PRISMA2020)')}
    ${button('md', 'Markdown')}
    ${button('json', 'JSON')}
    <span id="export-status" role="status" aria-live="polite"></span>
  </div>
</header>
<div id="banner" class="banner" hidden>
  <p><strong id="banner-headline"></strong></p>
  <p id="banner-detail"></p>
</div>
<p id="message" class="loading">${t('Opening the review…')}</p>
<details id="sources"${initial.sourcesOpen ? ' open' : ''} hidden>
  <summary>${t('Records identified per database and register')}</summary>
  <label><input type="checkbox" id="detail"${initial.detail ? ' checked' : ''}> ${t('List each database and register in the diagram')}</label>
  <table>
    <thead><tr><th scope="col">${t('Source')}</th><th scope="col">${t('Category')}</th><th scope="col" class="numeric">${t('Records identified')}</th></tr></thead>
    <tbody id="source-rows"></tbody>
  </table>
</details>
<div id="diagram" role="region" aria-label="${t('PRISMA 2020 flow diagram')}"></div>
<div id="announcer" class="visually-hidden" role="status" aria-live="polite"></div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.timer);
    for (const request of this.requests.values()) request.reject(new Error(vscode.l10n.t('the diagram view was closed')));
    this.requests.clear();
    for (const waiter of this.readyWaiters.splice(0)) waiter();
    this.hooks.onDispose();
    this.panel.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

/** The start of a webview page up to <body>: language, CSP, stylesheet and title (each panel's html()). */
export function webviewHead(csp: string, style: vscode.Uri, title: string): string {
  return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language || 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>${title}</title>
</head>`;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
