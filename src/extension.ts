import * as vscode from 'vscode';
import type { RecordsSnapshot } from './views/recordsTree';
import { createWorkerImporter } from './screening/import-service';
import { registerScreening } from './views/screening';
import { registerPrisma } from './views/prismaPanel';
import { ReviewSession } from './views/reviewSession';

/** What `activate` returns: read by the integration tests (and, later, by other extensions). */
export interface ScreeningApi {
  /** What the Records view shows once the review is open and indexed. */
  records(): Promise<RecordsSnapshot>;
  /** The record the reader shows, if it is open. */
  readerRecord(): { recordId: string; stage: 'title-abstract' | 'full-text' } | undefined;
}

export function activate(context: vscode.ExtensionContext): ScreeningApi {
  const session = new ReviewSession(createWorkerImporter(vscode.Uri.joinPath(context.extensionUri, 'dist', 'workers', 'import-worker.js').fsPath));
  context.subscriptions.push(session);
  void session.open();
  const screening = registerScreening(context, session);
  context.subscriptions.push(screening, ...registerPrisma(context, session));
  return { records: () => screening.records(), readerRecord: () => screening.readerRecord() };
}

export function deactivate(): void {}
