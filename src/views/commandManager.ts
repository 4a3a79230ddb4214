/**
 * Commands as small units (the pattern of VS Code's markdown extension): each command is an object
 * with its `id` (from commandIds.ts) and `execute`, registered by a disposable CommandManager.
 */
import * as vscode from 'vscode';
import type { CommandId } from './commandIds';
import type { FullTextService } from './fullTextService';
import type { ReaderController } from './readerPanel';
import type { RecordSearch } from './recordSearch';
import type { RecordsView } from './recordsTree';
import type { ReviewProblems } from './problems';
import type { ReviewSession } from './reviewSession';
import type { ScreeningActions } from './screeningActions';
import type { ScreeningModel } from './screeningModel';

export interface Command {
  readonly id: CommandId;
  execute(...args: unknown[]): unknown;
}

/** The services commands work with, built once in activate(). */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly session: ReviewSession;
  readonly model: ScreeningModel;
  readonly actions: ScreeningActions;
  readonly reader: ReaderController;
  readonly records: RecordsView;
  readonly search: RecordSearch;
  readonly problems: ReviewProblems;
  readonly fullTexts: FullTextService;
}

export class CommandManager implements vscode.Disposable {
  private readonly registered = new Map<string, vscode.Disposable>();

  register(...commands: Command[]): this {
    for (const command of commands) {
      if (this.registered.has(command.id)) throw new Error(`command ${command.id} registered twice`);
      this.registered.set(command.id, vscode.commands.registerCommand(command.id, (...args: unknown[]) => command.execute(...args)));
    }
    return this;
  }

  dispose(): void {
    for (const disposable of this.registered.values()) disposable.dispose();
    this.registered.clear();
  }
}
