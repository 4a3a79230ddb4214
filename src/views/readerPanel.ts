/**
 * The record reader: a webview panel beside the Records tree showing one record (title, authors,
 * year, journal, DOI and PMID links, keywords, abstract and, collapsed, the full text) with the
 * review's include- and exclude-terms highlighted, the decisions per stage (other reviewers' only
 * once this reviewer has decided, in blind mode), and one-key decisions:
 *
 *   i include · e exclude (reason) · m maybe · r not retrieved (full text) · n note · u undo
 *   j / → next · k / ← previous · space next unscreened · / search
 *
 * The page (src/webview/reader.ts) renders every record string as text; it never navigates: links
 * come back as `reader/open` and the host opens the URL it builds from the record
 * (vscode.env.openExternal). One panel per window, revived after a reload by a serializer; the
 * page keeps its record and view state with getState/setState.
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Stage } from '../screening/decision';
import type { DuplicateRecord } from '../screening/import-records';
import type { BibRecord } from '../screening/record';
import { doiUrl, pubmedUrl, webUrl } from '../screening/record-display';
import type { Review } from '../screening/review';
import type { ReviewerDecision, StageStatus } from '../screening/status';
import type { ReaderDecision, ReaderHostMessage, ReaderPage, ReaderRecord, ReaderRelevance, ReaderReport, ReaderStageView, ReaderViewState, ReaderWebviewMessage } from '../webview/protocol';
import { Commands, READER_VIEW_TYPE } from './commandIds';
import { groupLabel, STAGE_LABELS } from './recordsTree';
import { blindHides, type ReaderPort, type RecordTarget, type ScreeningActions } from './screeningActions';
import { perfMark } from './perfProbe';
import type { UnscreenedOrder } from './relevanceOrder';
import type { ScreeningModel } from './screeningModel';
import { escapeHtml, webviewHead } from './prismaPanel';
import { onDidChangeSettings, readSettings } from './settings';
import type { FullTextService } from './fullTextService';

const UPDATE_DELAY_MS = 30;

/** What the reader needs of the relevance ranking (src/views/relevance.ts). */
export interface ReaderRelevanceSource {
  readerRelevance(recordId: string, stage: Stage): ReaderRelevance | undefined;
  unscreenedOrder(stage: Stage): UnscreenedOrder | undefined;
  readonly onDidChange: vscode.Event<void>;
}

export class ReaderController implements ReaderPort, vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private target: RecordTarget | undefined;
  private sequence = 0;
  /** The last action the page sent (see ReaderHostMessage `ack`). */
  private ack = 0;
  private pendingNotice: string | undefined;
  private actionQueue: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private actions: ScreeningActions | undefined;
  private readonly panelDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly model: ScreeningModel,
    private readonly relevance?: ReaderRelevanceSource,
    private readonly fullTexts?: FullTextService,
  ) {
    // A PDF matched, attached or detached, or a PDF file changed: the full-text stage shows it.
    fullTexts?.onDidChange(() => this.target?.stage === 'full-text' && this.schedule(), this, this.disposables);
    // A new ranking: the record's relevance, position and the prefetched next record change.
    relevance?.onDidChange(() => this.target && this.schedule(), this, this.disposables);
    model.onDidChange(
      (change) => {
        if (!this.target) return;
        if (change.kind === 'records' && !change.ids.includes(this.target.recordId)) {
          // Only the position line changed (counts): cheap, but still batched.
          this.schedule();
          return;
        }
        this.schedule();
      },
      this,
      this.disposables,
    );
    onDidChangeSettings(() => this.schedule(), this.disposables);
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(READER_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
          const saved = state && typeof state === 'object' ? (state as Partial<ReaderViewState>) : {};
          this.adopt(panel);
          if (typeof saved.recordId === 'string') this.target = { recordId: saved.recordId, stage: saved.stage === 'full-text' ? 'full-text' : 'title-abstract' };
        },
      }),
    );
  }

  setActions(actions: ScreeningActions): void {
    this.actions = actions;
  }

  get current(): RecordTarget | undefined {
    return this.panel ? this.target : undefined;
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Shows a record (opening the panel beside the tree when needed). */
  async show(target: RecordTarget, options: { preserveFocus?: boolean; notice?: string } = {}): Promise<void> {
    this.target = target;
    this.model.stage = target.stage;
    this.pendingNotice = options.notice;
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(
        READER_VIEW_TYPE,
        vscode.l10n.t('Record'),
        { viewColumn: vscode.ViewColumn.One, preserveFocus: options.preserveFocus ?? false },
        webviewOptions(this.context.extensionUri),
      );
      this.adopt(panel);
      return;
    }
    if (!this.panel.visible || !options.preserveFocus) this.panel.reveal(undefined, options.preserveFocus ?? false);
    this.update();
  }

  refresh(notice?: string): void {
    if (notice) this.pendingNotice = notice;
    this.update();
  }

  notice(message: string, error = false): void {
    this.post({ type: 'reader/notice', message, error });
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.disposePanel();
    this.panel = panel;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'screening.svg');
    panel.webview.options = webviewOptions(this.context.extensionUri);
    panel.webview.html = this.html(panel.webview);
    panel.webview.onDidReceiveMessage((message: ReaderWebviewMessage) => void this.receive(message), this, this.panelDisposables);
    panel.onDidChangeViewState(
      () => {
        // A hidden webview is torn down and starts again with `ready`.
        if (!panel.visible) this.ready = false;
      },
      this,
      this.panelDisposables,
    );
    panel.onDidDispose(
      () => {
        if (this.panel === panel) {
          this.panel = undefined;
          this.ready = false;
          for (const disposable of this.panelDisposables.splice(0)) disposable.dispose();
        }
      },
      this,
      this.panelDisposables,
    );
  }

  private post(message: ReaderHostMessage): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(message);
  }

  private async receive(message: ReaderWebviewMessage): Promise<void> {
    switch (message.type) {
      case 'reader/ready': {
        this.ready = true;
        const state = message.state;
        if (!this.target && state?.recordId) this.target = { recordId: state.recordId, stage: state.stage };
        if (!this.target) {
          const ready = await this.model.ready();
          const next = ready ? this.actions?.nextUnscreenedAfter(undefined) : undefined;
          if (next) this.target = next;
        }
        this.update();
        break;
      }
      case 'reader/state':
        break;
      case 'reader/stage':
        await this.show({ recordId: message.recordId, stage: message.stage }, { preserveFocus: true });
        break;
      case 'reader/open':
        await this.openLink(message.target, message.recordId);
        break;
      case 'reader/quote':
        await this.actions?.quote({ recordId: message.recordId, stage: message.stage }, message.text, message.page);
        break;
      case 'reader/pdf': {
        const command = message.action === 'attach' ? Commands.attachPdf : message.action === 'detach' ? Commands.detachPdf : Commands.matchPdfs;
        await vscode.commands.executeCommand(command, message.recordId, 'full-text');
        break;
      }
      case 'reader/drop': {
        const dropped = message.uris.map((text) => parseDroppedUri(text)).find((uri) => uri !== undefined && /\.pdf$/i.test(uri.path));
        if (dropped) await vscode.commands.executeCommand(Commands.attachPdf, message.recordId, 'full-text', dropped);
        else this.notice(vscode.l10n.t('Drop a PDF file here to attach it to this record.'), true);
        break;
      }
      case 'reader/pdf-read':
        await this.readPdf(message);
        break;
      case 'reader/action': {
        perfMark('reader/action', { action: message.action });
        // One action at a time, in the order pressed: a second key must not interleave its advance with the first's.
        const target = { recordId: message.recordId, stage: message.stage };
        const ahead = message.ahead === undefined ? undefined : { recordId: message.ahead, stage: message.stage };
        const run = this.actionQueue.then(async () => {
          this.ack = Math.max(this.ack, message.seq);
          await this.act(message.action, target, ahead);
        });
        this.actionQueue = run.catch(() => undefined);
        await run;
        break;
      }
    }
  }

  /** `ahead`: the record the page already moved to (a prefetched page), which the host then shows. */
  private async act(action: Extract<ReaderWebviewMessage, { type: 'reader/action' }>['action'], target: RecordTarget, ahead?: RecordTarget): Promise<void> {
    const actions = this.actions;
    if (!actions) return;
    switch (action) {
      case 'include':
      case 'maybe':
      case 'not-retrieved':
        await actions.decide(target, action, { advanceTo: ahead });
        break;
      case 'exclude':
        await actions.decide(target, 'exclude');
        break;
      case 'note':
        await actions.note(target);
        break;
      case 'undo':
        await actions.undo();
        break;
      case 'resolve':
        await actions.resolve(target);
        break;
      case 'next':
      case 'previous': {
        const next = (ahead && this.model.review?.record(ahead.recordId) ? ahead : undefined) ?? actions.neighbour(target, action === 'next' ? 1 : -1);
        if (next) {
          await this.show(next, { preserveFocus: true });
          this.reveal(next);
        } else {
          this.notice(action === 'next' ? vscode.l10n.t('This is the last record.') : vscode.l10n.t('This is the first record.'));
        }
        break;
      }
      case 'next-unscreened': {
        const next = (ahead && actions.isUnscreened(ahead) ? ahead : undefined) ?? actions.nextUnscreenedAfter(target);
        if (next) {
          await this.show(next, { preserveFocus: true });
          this.reveal(next);
        } else this.notice(vscode.l10n.t('No unscreened records left at this stage.'));
        break;
      }
      case 'search':
        await vscode.commands.executeCommand(Commands.search);
        break;
    }
  }

  /** Set by the extension: keeps the tree's selection on the record shown. */
  onReveal: ((target: RecordTarget) => void) | undefined;

  private reveal(target: RecordTarget): void {
    this.onReveal?.(target);
  }

  private async openLink(kind: 'doi' | 'pmid' | 'url', recordId: string): Promise<void> {
    const review = this.model.review;
    const record = review?.record(recordId) ?? review?.duplicates.find((duplicate) => duplicate.id === recordId);
    if (!record) return;
    const url = kind === 'doi' ? doiUrl(record.doi) : kind === 'pmid' ? pubmedUrl(record.pmid) : webUrl(record.url);
    if (url) await vscode.env.openExternal(vscode.Uri.parse(url, true));
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, UPDATE_DELAY_MS);
  }

  /** Sends the current record to the page (now). */
  private update(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.panel || !this.ready) return;
    const review = this.model.review;
    const target = this.target;
    if (!review || !target) {
      this.post({
        type: 'reader/empty',
        message: review ? vscode.l10n.t('No record to show. Pick one in the Records view.') : vscode.l10n.t('Opening the review…'),
        loading: !review,
        sequence: ++this.sequence,
      });
      if (!review) void this.model.ready().then((ready) => ready && this.schedule());
      return;
    }
    const record = review.record(target.recordId);
    const duplicate = record ? undefined : review.duplicates.find((candidate) => candidate.id === target.recordId);
    if (!record && !duplicate) {
      this.post({ type: 'reader/empty', message: vscode.l10n.t('This record is no longer in the review (its source changed).'), loading: false, sequence: ++this.sequence });
      return;
    }
    const settings = readSettings();
    const shown = (record ?? duplicate)!;
    this.panel.title = shortTitle(shown.title);
    const notice = this.pendingNotice;
    this.pendingNotice = undefined;
    perfMark('reader/show', { record: target.recordId });
    this.post({
      type: 'reader/show',
      ...this.page(review, target, true)!,
      terms: {
        include: [...review.config.keywords.include, ...settings.includeKeywords],
        exclude: [...review.config.keywords.exclude, ...settings.excludeKeywords],
      },
      autoAdvance: settings.autoAdvance,
      ...(record ? { prefetch: this.prefetch(review, target) } : {}),
      sequence: ++this.sequence,
      ack: this.ack,
      ...(notice ? { notice } : {}),
    });
  }

  /** A record at a stage as the page shows it (full text only when `full`). */
  private page(review: Review, target: RecordTarget, full: boolean): ReaderPage | undefined {
    const record = review.record(target.recordId);
    const duplicate = record ? undefined : review.duplicates.find((candidate) => candidate.id === target.recordId);
    const shown = record ?? duplicate;
    if (!shown) return undefined;
    const page: ReaderPage = {
      record: toReaderRecord(shown, duplicate ? review.record(duplicate.duplicateOf) : undefined),
      stage: target.stage,
      // A duplicate shows the decisions recorded on it before it became one (kept, never dropped).
      stages: record || review.decisionsOnDuplicate(shown.id).length > 0 ? this.stageViews(review, shown.id) : [],
      position: this.positionText(target),
      writable: review.writable && record !== undefined,
    };
    const relevance = record ? this.relevance?.readerRelevance(record.id, target.stage) : undefined;
    if (relevance) page.relevance = relevance;
    const report = record && target.stage === 'full-text' ? this.report(review, record.id) : undefined;
    if (report) page.report = report;
    if (!full) delete page.record.fullText;
    return page;
  }

  /** The record's PDF at full text (as a webview resource) or why it has none; only once included at title/abstract. */
  private report(review: Review, recordId: string): ReaderReport | undefined {
    const fullTexts = this.fullTexts?.fullTexts;
    if (!fullTexts || review.status(recordId).titleAbstract.state !== 'included') return undefined;
    const state = fullTexts.state(recordId);
    const file = fullTexts.pdfOf(recordId);
    const report: ReaderReport = { state, label: vscode.l10n.t(REPORT_LABELS[state], file ?? '') };
    if (file) report.file = file;
    const how = this.fullTexts?.howMatched(recordId);
    if (how) report.how = how;
    if (state !== 'found' || !file || !this.panel) return report;
    // The host reads the PDF's first pages too (once per version of the file): an encrypted or damaged
    // PDF gets its reason here, whatever the viewer makes of it.
    const problem = fullTexts.problem(file);
    if (problem) {
      report.problem = problem;
      return report;
    }
    if (!fullTexts.checked(file)) void fullTexts.facts(file).then((facts) => facts.status !== 'ok' && this.schedule());
    try {
      const stats = statSync(review.path(file));
      report.size = stats.size;
      report.version = `${stats.size}:${stats.mtimeMs}`;
    } catch {
      report.state = 'missing-file';
    }
    return report;
  }

  /**
   * Bytes of a record's PDF for the page's pdf.js (range reads: a 500-page PDF opens on the few
   * hundred kilobytes its first page needs). Only the PDF linked to that record, inside the review.
   */
  private async readPdf(message: Extract<ReaderWebviewMessage, { type: 'reader/pdf-read' }>): Promise<void> {
    const review = this.model.review;
    const file = this.fullTexts?.fullTexts?.pdfOf(message.recordId);
    const answer = (reply: { data?: Uint8Array; error?: string }) => void this.panel?.webview.postMessage({ type: 'reader/pdf-data', id: message.id, ...reply } satisfies ReaderHostMessage);
    if (!review || !file || !Number.isInteger(message.begin) || !Number.isInteger(message.end) || message.begin < 0 || message.end < message.begin) {
      answer({ error: vscode.l10n.t('No PDF to read for this record.') });
      return;
    }
    const length = Math.min(message.end - message.begin, 64 * 1024 * 1024);
    let handle: FileHandle | undefined;
    try {
      handle = await open(review.path(file), 'r');
      const data = new Uint8Array(length);
      const { bytesRead } = await handle.read(data, 0, length, message.begin);
      answer({ data: bytesRead === length ? data : data.subarray(0, bytesRead) });
    } catch (error) {
      answer({ error: error instanceof Error ? error.message : String(error) });
    } finally {
      await handle?.close();
    }
  }

  /** The records the next key press most likely shows: next unscreened, next, previous. */
  private prefetch(review: Review, target: RecordTarget): NonNullable<Extract<ReaderHostMessage, { type: 'reader/show' }>['prefetch']> {
    const actions = this.actions;
    if (!actions) return {};
    const out: NonNullable<Extract<ReaderHostMessage, { type: 'reader/show' }>['prefetch']> = {};
    const add = (key: 'nextUnscreened' | 'next' | 'previous', next: RecordTarget | undefined) => {
      if (!next || next.recordId === target.recordId) return;
      const page = this.page(review, next, false);
      if (page) out[key] = page;
    };
    add('nextUnscreened', actions.nextUnscreenedAfter(target));
    add('next', actions.neighbour(target, 1));
    add('previous', actions.neighbour(target, -1));
    return out;
  }

  private stageViews(review: Review, recordId: string): ReaderStageView[] {
    const status = review.status(recordId);
    return [this.stageView(review, recordId, status.titleAbstract), this.stageView(review, recordId, status.fullText)];
  }

  private stageView(review: Review, recordId: string, status: StageStatus): ReaderStageView {
    const me = review.reviewerKey;
    const decision = (entry: ReviewerDecision): ReaderDecision => ({
      reviewer: entry.reviewer === me ? vscode.l10n.t('You') : review.reviewerName(entry.reviewer),
      mine: entry.reviewer === me,
      verdict: entry.verdict,
      reason: entry.reason,
      note: entry.note,
      time: entry.time,
    });
    const mine = status.decisions.find((entry) => entry.reviewer === me);
    const others = status.decisions.filter((entry) => entry.reviewer !== me);
    const hide = blindHides(status, me);
    const position = this.model.index?.positionOf(recordId);
    const group = position === undefined ? undefined : this.model.index?.stage(status.stage).groupAt(position);
    const pendingNote = this.actions?.pendingNote(recordId, status.stage);
    return {
      stage: status.stage,
      label: vscode.l10n.t(STAGE_LABELS[status.stage]),
      stateLabel: stateLabel(status, mine !== undefined),
      ...(group ? { group: group.kind } : {}),
      ...(mine ? { mine: decision(mine) } : {}),
      others: hide ? [] : others.map(decision),
      hidden: hide ? others.length : 0,
      ...(status.resolution
        ? { resolution: { ...decision({ ...status.resolution, reviewer: '' }), reviewer: review.reviewerName(status.resolution.by), mine: false, by: status.resolution.by } }
        : {}),
      applicable: status.state !== 'not-applicable',
      conflict: status.state === 'conflict',
      ...(pendingNote ? { pendingNote } : {}),
    };
  }

  private positionText(target: RecordTarget): string {
    const index = this.model.index;
    const position = index?.positionOf(target.recordId);
    if (!index || position === undefined) return vscode.l10n.t('Duplicate record (not screened)');
    const groups = index.stage(target.stage);
    const key = groups.groupAt(position);
    if (!key) return vscode.l10n.t('{0}: not applicable', vscode.l10n.t(STAGE_LABELS[target.stage]));
    const ordered = key.kind === 'unscreened' ? this.relevance?.unscreenedOrder(target.stage) : undefined;
    const members = ordered ? ordered.order : groups.members(key);
    const at = ordered ? (ordered.at[position] ?? -1) : groups.indexInGroup(position);
    const name =
      key.kind === 'excluded' && key.reason ? `${groupLabel('excluded')}: ${key.reason}` : ordered ? vscode.l10n.t('{0} by relevance', groupLabel(key.kind)) : groupLabel(key.kind);
    const where = at >= 0 ? vscode.l10n.t('{0} of {1}', (at + 1).toLocaleString('en-US'), members.length.toLocaleString('en-US')) : vscode.l10n.t('outside the filter');
    return `${vscode.l10n.t(STAGE_LABELS[target.stage])} · ${name} · ${where}`;
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview', 'reader.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', 'reader.css'));
    const t = (text: string) => escapeHtml(vscode.l10n.t(text));
    const pdfjs = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview', 'pdfjs', file)).toString();
    // pdf.js: its worker is a local script (started from a blob of it), its fonts and character maps are
    // fetched from local resources, the PDF's bytes come by messages. No eval, nothing remote.
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource} blob: data:`,
      `script-src 'nonce-${nonce}' ${webview.cspSource}`,
      `worker-src ${webview.cspSource} blob:`,
      `connect-src ${webview.cspSource}`,
    ].join('; ');
    const key = (letter: string) => `<kbd>${escapeHtml(letter)}</kbd>`;
    const button = (action: string, label: string, keys: string, extra = '') =>
      `<button type="button" data-action="${action}" ${extra} title="${t(label)} (${escapeHtml(keys.replace(/<[^>]+>/g, ''))})">${t(label)} ${key(keys)}</button>`;
    // Localised strings the page needs, as data (read with textContent, never as markup).
    const strings = {
      authors: vscode.l10n.t('Authors'),
      keywords: vscode.l10n.t('Keywords'),
      abstract: vscode.l10n.t('Abstract'),
      noAbstract: vscode.l10n.t('No abstract.'),
      fullText: vscode.l10n.t('Full text ({0} words)'),
      decisions: vscode.l10n.t('Decisions'),
      yourDecision: vscode.l10n.t('Your decision'),
      notDecided: vscode.l10n.t('You have not decided yet.'),
      hidden: vscode.l10n.t('Blind mode: {0} other decision(s) hidden until you decide.'),
      resolution: vscode.l10n.t('Resolution by {0}'),
      note: vscode.l10n.t('Note'),
      pendingNote: vscode.l10n.t('Note (saved with your decision)'),
      source: vscode.l10n.t('Source'),
      duplicateOf: vscode.l10n.t('Duplicate of: {0}'),
      include: vscode.l10n.t('Included'),
      exclude: vscode.l10n.t('Excluded'),
      maybe: vscode.l10n.t('Maybe'),
      'not-retrieved': vscode.l10n.t('Not retrieved'),
      includeTerms: vscode.l10n.t('include-terms'),
      excludeTerms: vscode.l10n.t('exclude-terms'),
      readOnly: vscode.l10n.t('Read-only: decisions cannot be recorded for this record.'),
      keyNotApplied: vscode.l10n.t('A decision key pressed while the reader was changing records was not applied to any record.'),
      relevance: vscode.l10n.t('Relevance'),
      stoppingAid: vscode.l10n.t('Stopping aid (an estimate, not a guarantee)'),
      pdfLoading: vscode.l10n.t('Opening the PDF…'),
      pdfEncrypted: vscode.l10n.t('This PDF is protected by a password and cannot be shown. Decide from the abstract, or attach an unprotected copy.'),
      pdfDamaged: vscode.l10n.t('This PDF cannot be read ({0}). It may be damaged or incomplete: attach another copy.'),
      pdfFound: vscode.l10n.t('Found on page {0} (on {1} page(s) in all)'),
      pdfNotFound: vscode.l10n.t('“{0}” is not in this PDF.'),
      pdfPages: vscode.l10n.t('of {0}'),
      pdfHow: vscode.l10n.t('Matched by {0}'),
      quoteNone: vscode.l10n.t('Select text in the PDF first, then press q to attach it to your decision.'),
      attachPdf: vscode.l10n.t('Attach PDF…'),
      replacePdf: vscode.l10n.t('Replace PDF…'),
    };
    return `${webviewHead(csp, style, t('Record'))}
<body data-state="loading">
<div id="toolbar" class="toolbar" role="toolbar" aria-label="${t('Screening actions')}">
  <div class="group">
    ${button('include', 'Include', 'i', 'class="include"')}
    ${button('exclude', 'Exclude', 'e', 'class="exclude"')}
    ${button('maybe', 'Maybe', 'm', 'class="maybe"')}
    ${button('not-retrieved', 'Not retrieved', 'r', 'class="not-retrieved" hidden')}
    ${button('note', 'Note', 'n')}
    ${button('resolve', 'Resolve', 'v', 'class="resolve" hidden')}
  </div>
  <div class="group">
    ${button('previous', 'Previous', 'k')}
    ${button('next', 'Next', 'j')}
    ${button('next-unscreened', 'Next unscreened', 'Space')}
    ${button('undo', 'Undo', 'u')}
    ${button('search', 'Search', '/')}
  </div>
</div>
<div id="status" class="status" role="status" aria-live="polite"></div>
<p id="message" class="message">${t('Opening the review…')}</p>
<main id="record" hidden>
  <p id="position" class="position"></p>
  <h1 id="title"></h1>
  <p id="byline" class="byline"></p>
  <p id="citation" class="citation"></p>
  <p id="links" class="links"></p>
  <p id="duplicate" class="duplicate" hidden></p>
  <section id="decisions" class="decisions" aria-label="${t('Decisions')}"></section>
  <section id="relevance" class="relevance" aria-label="${t('Relevance')}" hidden></section>
  <p id="keywords" class="keywords"></p>
  <p id="legend" class="legend" hidden></p>
  <section id="report" class="report" aria-label="${t('Full text')}" hidden>
    <div id="report-line" class="report-line"><span id="report-state"></span>
      <button type="button" data-pdf="attach">${t('Attach PDF…')}</button>
      <button type="button" data-pdf="detach">${t('Detach PDF')}</button>
      <button type="button" data-pdf="match">${t('Match PDFs')}</button>
    </div>
    <div id="pdf-toolbar" class="pdf-toolbar" role="toolbar" aria-label="${t('PDF')}" hidden>
      <button type="button" data-pdf="previous" title="${t('Previous page')}">‹</button>
      <input id="pdf-page" type="number" min="1" value="1" aria-label="${t('Page')}">
      <span id="pdf-pages"></span>
      <button type="button" data-pdf="next-page" title="${t('Next page')}">›</button>
      <button type="button" data-pdf="zoom-out" title="${t('Zoom out')} (-)">−</button>
      <span id="pdf-zoom"></span>
      <button type="button" data-pdf="zoom-in" title="${t('Zoom in')} (+)">+</button>
      <button type="button" data-pdf="fit" title="${t('Fit width')}">${t('Fit width')}</button>
      <input id="pdf-find" type="search" placeholder="${t('Find in PDF (f)')}" aria-label="${t('Find in PDF')}">
      <button type="button" data-pdf="quote" title="${t('Attach the selected text, with its page, to your decision')} (q)">${t('Quote selection')} ${key('q')}</button>
    </div>
    <div id="pdf-status" class="pdf-status" role="status" aria-live="polite"></div>
    <div id="pdf-view" class="pdf-view" tabindex="0" data-worker="${escapeHtml(pdfjs('pdf.worker.js'))}" data-cmaps="${escapeHtml(pdfjs('cmaps/'))}" data-fonts="${escapeHtml(pdfjs('standard_fonts/'))}" hidden></div>
  </section>
  <section id="abstract" class="abstract" aria-label="${t('Abstract')}"></section>
  <details id="fulltext" hidden><summary id="fulltext-summary"></summary><div id="fulltext-body" class="fulltext"></div></details>
  <p id="source" class="source"></p>
</main>
<script type="application/json" id="strings" nonce="${nonce}">${escapeJson(strings)}</script>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  private disposePanel(): void {
    for (const disposable of this.panelDisposables.splice(0)) disposable.dispose();
    const panel = this.panel;
    this.panel = undefined;
    panel?.dispose();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.disposePanel();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

function toReaderRecord(record: BibRecord | DuplicateRecord, duplicateOf?: BibRecord): ReaderRecord {
  const out: ReaderRecord = {
    id: record.id,
    title: record.title,
    authors: [...record.authors],
    keywords: [...record.keywords],
    type: record.type,
    source: `${record.provenance.file}:${record.provenance.line}`,
  };
  if (record.year !== undefined) out.year = record.year;
  if (record.journal) out.journal = record.journal;
  if (record.volume) out.volume = record.volume;
  if (record.issue) out.issue = record.issue;
  if (record.pages) out.pages = record.pages;
  if (doiUrl(record.doi)) out.doi = record.doi;
  if (pubmedUrl(record.pmid)) out.pmid = record.pmid;
  if (webUrl(record.url)) out.url = record.url;
  if (record.abstract) out.abstract = record.abstract;
  if (record.fullText && record.fullText !== record.abstract) out.fullText = record.fullText;
  if ('duplicateOf' in record) out.duplicateOf = duplicateOf ? duplicateOf.title : record.duplicateOf;
  return out;
}

function stateLabel(status: StageStatus, decidedByMe: boolean): string {
  switch (status.state) {
    case 'undecided':
      return vscode.l10n.t('Not screened yet');
    case 'awaiting':
      return decidedByMe ? vscode.l10n.t('Awaiting a second reviewer') : vscode.l10n.t('Waiting for your decision');
    case 'conflict':
      return status.conflict === 'reason' ? vscode.l10n.t('Reviewers disagree on the reason') : vscode.l10n.t('Reviewers disagree');
    case 'maybe':
      return vscode.l10n.t('Maybe: needs a decision');
    case 'included':
      return status.decidedBy === 'resolution' ? vscode.l10n.t('Included (resolved)') : vscode.l10n.t('Included');
    case 'excluded': {
      const base = status.decidedBy === 'resolution' ? vscode.l10n.t('Excluded (resolved)') : vscode.l10n.t('Excluded');
      return status.reason ? `${base}: ${status.reason}` : base;
    }
    case 'not-retrieved':
      return vscode.l10n.t('Not retrieved');
    case 'not-applicable':
      return vscode.l10n.t('Only after inclusion at title/abstract');
  }
}

function shortTitle(title: string): string {
  const flat = title.replace(/\s+/g, ' ').trim() || vscode.l10n.t('Record');
  return flat.length > 40 ? `${flat.slice(0, 39)}…` : flat;
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableFindWidget: true,
    // PDFs come by messages (reader/pdf-read), so the review folder is not a resource root.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

const REPORT_LABELS: Record<ReaderReport['state'], string> = {
  found: 'PDF: {0}',
  'missing-file': 'The PDF {0} is not in the folder (moved, or not pulled).',
  'not-found': 'No PDF yet: add it to the review folder (e.g. fulltext/) and match, attach one, or drop it here.',
  'not-retrieved': 'Marked not retrieved.',
};

/** A dropped file: a URI (file:, vscode-remote:) or a plain path. */
function parseDroppedUri(text: string): vscode.Uri | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  try {
    if (/^[a-z][\w+.-]*:\/\//i.test(trimmed)) {
      const uri = vscode.Uri.parse(trimmed, true);
      return uri.scheme === 'file' ? uri : vscode.Uri.file(uri.path);
    }
    return trimmed.startsWith('/') || /^[a-z]:[\\/]/i.test(trimmed) ? vscode.Uri.file(trimmed) : undefined;
  } catch {
    return undefined;
  }
}


/** JSON safe inside a <script> element (no "</script>", no HTML comment openers). */
function escapeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export type { Stage };
