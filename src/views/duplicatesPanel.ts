/**
 * The possible-duplicates queue: two records side by side with their differences marked, and keys
 * to confirm (d, or 1 / 2 to keep the left or right record), reject (x) or move through the queue
 * (j / k). Decisions go to screening/duplicates.json through Review.decideDuplicate; the tree and
 * PRISMA follow the review's change event. Every record string reaches the page as text.
 */
import * as vscode from 'vscode';
import type { DuplicateRecord, PossibleDuplicate } from '../screening/import-records';
import type { BibRecord } from '../screening/record';
import type { Review } from '../screening/review';
import type { DuplicatePairView, DuplicateSide, DuplicatesHostMessage, DuplicatesWebviewMessage } from '../webview/protocol';
import { Commands } from './commandIds';
import type { Command, Services } from './commandManager';
import { escapeHtml, makeNonce, webviewHead } from './prismaPanel';
import { errorMessage } from './reviewSession';

export const DUPLICATES_VIEW_TYPE = 'screening.duplicates';

/** The pair on show: from the queue, or any two records (a manual check). */
interface Shown {
  a: string;
  b: string;
}

export class DuplicatesController implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private shown: Shown | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly services: Services) {
    services.session.onDidChange(() => this.update(), this, this.disposables);
  }

  /** Opens the queue at a pair (default: where it was, else the first). */
  async show(a?: string, b?: string): Promise<void> {
    const review = this.services.session.review ?? (await this.services.session.ready());
    if (!review) return;
    if (a && b) this.shown = { a, b };
    else if (!this.shown) this.shown = this.first(review);
    if (!this.panel) this.open();
    else this.panel.reveal(vscode.ViewColumn.Active, false);
    this.update();
  }

  private first(review: Review): Shown | undefined {
    const pair = review.possibleDuplicates[0];
    return pair ? { a: pair.a, b: pair.b } : undefined;
  }

  private open(): void {
    const extensionUri = this.services.context.extensionUri;
    const panel = vscode.window.createWebviewPanel(DUPLICATES_VIEW_TYPE, vscode.l10n.t('Possible Duplicates'), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
    });
    this.panel = panel;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'screening.svg');
    panel.webview.html = this.html(panel.webview);
    panel.webview.onDidReceiveMessage((message: DuplicatesWebviewMessage) => void this.receive(message), this, this.disposables);
    panel.onDidChangeViewState(() => {
      if (!panel.visible) this.ready = false;
    }, this, this.disposables);
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
    }, this, this.disposables);
  }

  private async receive(message: DuplicatesWebviewMessage): Promise<void> {
    const review = this.services.session.review;
    if (!review) return;
    switch (message.type) {
      case 'duplicates/ready':
        this.ready = true;
        this.update();
        break;
      case 'duplicates/move': {
        const queue = review.possibleDuplicates;
        if (queue.length === 0) return;
        const at = this.queueIndex(queue);
        const next = queue[(Math.max(at, 0) + message.delta + queue.length) % queue.length];
        this.shown = { a: next.a, b: next.b };
        this.update();
        break;
      }
      case 'duplicates/decide': {
        const shown = this.shown;
        if (!shown) return;
        const queue = review.possibleDuplicates;
        const at = this.queueIndex(queue);
        const keep = message.keep === 'a' ? shown.a : message.keep === 'b' ? shown.b : undefined;
        try {
          await review.decideDuplicate(shown.a, shown.b, message.verdict === 'distinct' ? 'distinct' : 'duplicate', message.verdict === 'duplicate' ? keep : undefined);
        } catch (error) {
          void vscode.window.showErrorMessage(vscode.l10n.t('Could not record the duplicate decision: {0}', errorMessage(error)));
          return;
        }
        void vscode.window.setStatusBarMessage(
          message.verdict === 'distinct' ? vscode.l10n.t('Screening: kept as two records (screening/duplicates.json)') : vscode.l10n.t('Screening: merged as duplicates (screening/duplicates.json)'),
          4000,
        );
        // The next pair of the queue takes the decided one's place.
        const rest = review.possibleDuplicates;
        const next = rest[Math.min(Math.max(at, 0), rest.length - 1)];
        this.shown = next ? { a: next.a, b: next.b } : undefined;
        this.update();
        break;
      }
    }
  }

  private queueIndex(queue: readonly PossibleDuplicate[]): number {
    const shown = this.shown;
    return shown ? queue.findIndex((pair) => (pair.a === shown.a && pair.b === shown.b) || (pair.a === shown.b && pair.b === shown.a)) : -1;
  }

  private update(): void {
    const panel = this.panel;
    const review = this.services.session.review;
    if (!panel || !this.ready || !review) return;
    // A pair decided elsewhere (another window, a pull) or gone with a re-import: move on.
    if (this.shown && (!find(review, this.shown.a) || !find(review, this.shown.b))) this.shown = undefined;
    if (this.shown && this.queueIndex(review.possibleDuplicates) < 0 && review.duplicateDecision(this.shown.a, this.shown.b)) this.shown = undefined;
    this.shown ??= this.first(review);
    const message: DuplicatesHostMessage = this.shown
      ? { type: 'duplicates/show', pair: this.view(review, this.shown) }
      : { type: 'duplicates/empty', message: vscode.l10n.t('No possible duplicates left to decide. Duplicates found with certainty are in the Duplicates group of the Records view.') };
    void panel.webview.postMessage(message);
  }

  private view(review: Review, shown: Shown): DuplicatePairView {
    const queue = review.possibleDuplicates;
    const at = this.queueIndex(queue);
    const pair = at >= 0 ? queue[at] : undefined;
    const a = find(review, shown.a)!;
    const b = find(review, shown.b)!;
    const flip = pair !== undefined && pair.a !== shown.a;
    const comparison = pair?.comparison;
    return {
      a: this.side(review, flip ? b : a),
      b: this.side(review, flip ? a : b),
      fields: comparison?.fields ?? {},
      rule: comparison?.rule ?? vscode.l10n.t('chosen by hand'),
      similarity: comparison?.titleSimilarity ?? 0,
      position: at + 1,
      total: queue.length,
    };
  }

  private side(review: Review, record: BibRecord | DuplicateRecord): DuplicateSide {
    const decisions = review.decisionsOnDuplicate(record.id).map((d) => `${d.verdict}${d.reason ? ` (${d.reason})` : ''} · ${d.stage === 'title-abstract' ? vscode.l10n.t('title/abstract') : vscode.l10n.t('full text')}`);
    return {
      id: record.id,
      values: {
        title: record.title,
        authors: record.authors.join('; '),
        journal: record.journal,
        year: record.year?.toString(),
        volume: record.volume,
        issue: record.issue,
        pages: record.pages,
        doi: record.doi,
        pmid: record.pmid,
        abstract: record.abstract,
      },
      source: `${record.provenance.file}:${record.provenance.line}`,
      decisions,
    };
  }

  private html(webview: vscode.Webview): string {
    const nonce = makeNonce();
    const extensionUri = this.services.context.extensionUri;
    const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'duplicates.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'duplicates.css'));
    const t = (text: string) => escapeHtml(vscode.l10n.t(text));
    const csp = ["default-src 'none'", `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
    const labels = {
      title: vscode.l10n.t('Title'),
      authors: vscode.l10n.t('Authors'),
      journal: vscode.l10n.t('Journal'),
      year: vscode.l10n.t('Year'),
      volume: vscode.l10n.t('Volume'),
      issue: vscode.l10n.t('Issue'),
      pages: vscode.l10n.t('Pages'),
      doi: 'DOI',
      pmid: 'PMID',
      abstract: vscode.l10n.t('Abstract'),
      source: vscode.l10n.t('Source'),
      decisions: vscode.l10n.t('Decisions'),
      same: vscode.l10n.t('same'),
      different: vscode.l10n.t('differs'),
      missing: vscode.l10n.t('missing in one'),
      position: vscode.l10n.t('Pair {0} of {1}'),
      manual: vscode.l10n.t('Not in the queue (chosen by hand)'),
      why: vscode.l10n.t('Why queued: {0}'),
    };
    return `${webviewHead(csp, style, t('Possible Duplicates'))}
<body>
<header>
  <h1>${t('Possible duplicates')}</h1>
  <span id="position" role="status" aria-live="polite"></span>
</header>
<p id="why" class="why"></p>
<div class="toolbar" role="toolbar" aria-label="${t('Decide')}">
  <button type="button" id="confirm" class="primary" title="${t('One paper: keep the earlier imported record (d)')}">${t('Duplicates')} <kbd>d</kbd></button>
  <button type="button" id="keep-a" title="${t('One paper: keep the left record (1)')}">${t('Keep left')} <kbd>1</kbd></button>
  <button type="button" id="keep-b" title="${t('One paper: keep the right record (2)')}">${t('Keep right')} <kbd>2</kbd></button>
  <button type="button" id="reject" title="${t('Two different records (x)')}">${t('Not duplicates')} <kbd>x</kbd></button>
  <button type="button" id="previous" title="${t('Previous pair (k)')}"><kbd>k</kbd></button>
  <button type="button" id="next" title="${t('Next pair (j)')}"><kbd>j</kbd></button>
</div>
<p id="empty" class="empty" hidden></p>
<table id="pair" hidden>
  <thead><tr><th scope="col"></th><th scope="col">${t('Left')}</th><th scope="col">${t('Right')}</th><th scope="col"></th></tr></thead>
  <tbody id="rows"></tbody>
</table>
<script nonce="${nonce}" id="labels" type="application/json">${JSON.stringify(labels).replace(/</g, '\\u003c')}</script>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

function find(review: Review, id: string): BibRecord | DuplicateRecord | undefined {
  return review.record(id) ?? review.duplicate(id);
}

export class ReviewDuplicatesCommand implements Command {
  readonly id = Commands.reviewDuplicates;
  constructor(private readonly controller: DuplicatesController) {}

  /** (a?: string, b?: string) — opens the queue, at this pair when given. */
  async execute(a?: unknown, b?: unknown): Promise<void> {
    await this.controller.show(typeof a === 'string' ? a : undefined, typeof b === 'string' ? b : undefined);
  }
}

export class MarkDuplicatesCommand implements Command {
  readonly id = Commands.markDuplicates;
  constructor(private readonly services: Services) {}

  /** (first?: string, second?: string) — marks two records as one paper, picking them when not given. */
  async execute(firstArg?: unknown, secondArg?: unknown): Promise<boolean> {
    const review = this.services.session.review ?? (await this.services.session.ready());
    if (!review) return false;
    const pick = async (title: string, except?: string): Promise<string | undefined> => {
      const items = review.records
        .filter((record) => record.id !== except)
        .map((record) => ({ label: record.title || vscode.l10n.t('(untitled record)'), description: [record.authors[0], record.year].filter(Boolean).join(' · '), detail: record.id, id: record.id }));
      const picked = await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Type to find a record by title'), matchOnDescription: true, matchOnDetail: true });
      return picked?.id;
    };
    const first = typeof firstArg === 'string' ? firstArg : ((firstArg as { recordId?: string } | undefined)?.recordId ?? (await pick(vscode.l10n.t('Mark as duplicates (1 of 2): the first record'))));
    if (!first) return false;
    const second = typeof secondArg === 'string' ? secondArg : await pick(vscode.l10n.t('Mark as duplicates (2 of 2): the record it duplicates'), first);
    if (!second) return false;
    try {
      await review.decideDuplicate(first, second, 'duplicate');
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not mark the records as duplicates: {0}', errorMessage(error)));
      return false;
    }
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Screening: merged as duplicates (screening/duplicates.json)'), 4000);
    return true;
  }
}
