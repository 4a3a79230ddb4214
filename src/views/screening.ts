/**
 * Builds the screening views and commands on a ReviewSession: the index (ScreeningModel), the
 * Records tree, the reader, the status bar, search, problems, and every command. activate()
 * calls this once.
 */
import * as vscode from 'vscode';
import type { Stage } from '../screening/decision';
import { CommandManager, type Services } from './commandManager';
import { AddNoteCommand, ExcludeCommand, IncludeCommand, MaybeCommand, NextUnscreenedCommand, OpenRecordCommand, ResolveConflictCommand, UndoCommand } from './commands/decide';
import { ImportRecordsCommand } from './commands/importRecords';
import { AttachPdfCommand, DetachPdfCommand, MatchPdfsCommand, NextWithoutPdfCommand, ShowUnmatchedPdfsCommand } from './commands/fulltext';
import { FullTextService } from './fullTextService';
import { ToggleUnscreenedOrderCommand, UseOriginalOrderCommand, UseRelevanceOrderCommand } from './commands/order';
import { OpenSampleCommand, RefreshCommand, ShowSummaryCommand, StartReviewCommand } from './commands/review';
import { CompareReviewerCommand, SetReviewerCommand, SetupMergeDriverCommand, ShowConflictsCommand } from './commands/reviewers';
import { ExportDecisionsCommand, ExportRecordsCommand, ShowReportCommand } from './commands/export';
import { ClearFilterCommand, FilterCommand, SearchCommand } from './commands/search';
import { DuplicatesController, MarkDuplicatesCommand, ReviewDuplicatesCommand } from './duplicatesPanel';
import { openOnStartup } from './openOnStartup';
import { startPerfProbe } from './perfProbe';
import { ReviewProblems } from './problems';
import { ReaderController } from './readerPanel';
import { RecordSearch } from './recordSearch';
import { RecordsView, type RecordsSnapshot } from './recordsTree';
import { RelevanceRanking } from './relevance';
import type { ReviewSession } from './reviewSession';
import { ScreeningActions } from './screeningActions';
import { ScreeningModel } from './screeningModel';
import { ScreeningStatusBar } from './statusBar';

export interface ScreeningParts extends vscode.Disposable {
  /** What the Records view shows once the review is open and indexed. */
  records(): Promise<RecordsSnapshot>;
  /** The record the reader shows, if it is open. */
  readerRecord(): { recordId: string; stage: Stage } | undefined;
}

export function registerScreening(context: vscode.ExtensionContext, session: ReviewSession): ScreeningParts {
  const disposables: vscode.Disposable[] = [];
  const probe = startPerfProbe();
  if (probe) disposables.push(probe);
  const model = new ScreeningModel(session);
  // The reviewer's relevance ranking (trained in a worker): orders Unscreened, "next unscreened" and the reader's relevance line.
  const relevance = new RelevanceRanking(session, model, vscode.Uri.joinPath(context.extensionUri, 'dist', 'workers', 'ranking-worker.js').fsPath);
  const fullTexts = new FullTextService(session);
  const records = new RecordsView(model, relevance, fullTexts);
  const reader = new ReaderController(context, model, relevance, fullTexts);
  const actions = new ScreeningActions(model, relevance);
  actions.connect(reader, records);
  reader.setActions(actions);
  reader.onReveal = (target) => records.reveal(target.recordId, target.stage);
  const search = new RecordSearch(session, vscode.Uri.joinPath(context.extensionUri, 'dist', 'workers', 'search-worker.js').fsPath);
  const problems = new ReviewProblems(session);
  const statusBar = new ScreeningStatusBar(model);
  const services: Services = { context, session, model, actions, reader, records, search, problems, fullTexts };
  const duplicates = new DuplicatesController(services);
  const commands = new CommandManager().register(
    new StartReviewCommand(services),
    new OpenSampleCommand(services),
    new ImportRecordsCommand(services),
    new RefreshCommand(services),
    new ShowSummaryCommand(services),
    new OpenRecordCommand(services),
    new NextUnscreenedCommand(services),
    new IncludeCommand(services),
    new ExcludeCommand(services),
    new MaybeCommand(services),
    new AddNoteCommand(services),
    new UndoCommand(services),
    new ResolveConflictCommand(services),
    new SearchCommand(services),
    new FilterCommand(services),
    new ClearFilterCommand(services),
    new ToggleUnscreenedOrderCommand(),
    new UseOriginalOrderCommand(),
    new UseRelevanceOrderCommand(),
    new ShowConflictsCommand(services),
    new CompareReviewerCommand(services),
    new SetReviewerCommand(services),
    new ExportRecordsCommand(services),
    new ExportDecisionsCommand(services),
    new ShowReportCommand(services),
    new SetupMergeDriverCommand(services),
    new MatchPdfsCommand(services),
    new AttachPdfCommand(services),
    new DetachPdfCommand(services),
    new NextWithoutPdfCommand(services),
    new ShowUnmatchedPdfsCommand(services),
    new ReviewDuplicatesCommand(duplicates),
    new MarkDuplicatesCommand(services),
  );
  disposables.push(duplicates, commands, statusBar, problems, search, reader, records, fullTexts, relevance, model);
  void openOnStartup(services);
  return {
    records: () => records.provider.snapshot(),
    readerRecord: () => reader.current,
    dispose: () => {
      for (const disposable of disposables.splice(0).reverse()) disposable.dispose();
    },
  };
}
