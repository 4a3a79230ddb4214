/** Reading and deciding: open a record, next unscreened, include, exclude, maybe, note, undo, resolve. */
import type { Stage } from '../../screening/decision';
import { Commands } from '../commandIds';
import type { Command, Services } from '../commandManager';

export class OpenRecordCommand implements Command {
  readonly id = Commands.openRecord;
  constructor(private readonly services: Services) {}

  /** (recordId, stage, { preserveFocus }) from the tree; without arguments, the next unscreened record. */
  async execute(recordId?: unknown, stage?: unknown, options?: unknown): Promise<void> {
    if (typeof recordId !== 'string') return this.services.actions.openNextUnscreened();
    const target = { recordId, stage: (stage === 'full-text' ? 'full-text' : 'title-abstract') as Stage };
    const preserveFocus = typeof options === 'object' && options !== null && (options as { preserveFocus?: boolean }).preserveFocus === true;
    // Opened from its row: the tree keeps that row selected when the record moves to another group.
    this.services.records.follow(target.recordId, target.stage);
    await this.services.reader.show(target, { preserveFocus });
  }
}

export class NextUnscreenedCommand implements Command {
  readonly id = Commands.nextUnscreened;
  constructor(private readonly services: Services) {}
  execute(): Promise<void> {
    return this.services.actions.openNextUnscreened();
  }
}

export class IncludeCommand implements Command {
  readonly id = Commands.include;
  constructor(private readonly services: Services) {}
  execute(...args: unknown[]): Promise<boolean> {
    return this.services.actions.decide(this.services.actions.target(args), 'include');
  }
}

export class ExcludeCommand implements Command {
  readonly id = Commands.exclude;
  constructor(private readonly services: Services) {}
  execute(...args: unknown[]): Promise<boolean> {
    return this.services.actions.decide(this.services.actions.target(args), 'exclude');
  }
}

export class MaybeCommand implements Command {
  readonly id = Commands.maybe;
  constructor(private readonly services: Services) {}
  execute(...args: unknown[]): Promise<boolean> {
    return this.services.actions.decide(this.services.actions.target(args), 'maybe');
  }
}

export class AddNoteCommand implements Command {
  readonly id = Commands.addNote;
  constructor(private readonly services: Services) {}
  execute(...args: unknown[]): Promise<void> {
    return this.services.actions.note(this.services.actions.target(args));
  }
}

export class UndoCommand implements Command {
  readonly id = Commands.undo;
  constructor(private readonly services: Services) {}
  execute(): Promise<void> {
    return this.services.actions.undo();
  }
}

export class ResolveConflictCommand implements Command {
  readonly id = Commands.resolveConflict;
  constructor(private readonly services: Services) {}
  execute(...args: unknown[]): Promise<boolean> {
    const target = args.length > 0 ? this.services.actions.target(args) : this.conflictInView();
    return this.services.actions.resolve(target);
  }

  /** From the palette: the record in the reader when it is in conflict, else a picker of conflicts. */
  private conflictInView() {
    const current = this.services.reader.current ?? this.services.records.selectedRecord();
    const review = this.services.model.review;
    if (!current || !review?.record(current.recordId)) return undefined;
    const status = review.status(current.recordId)[current.stage === 'title-abstract' ? 'titleAbstract' : 'fullText'];
    return status.state === 'conflict' ? current : undefined;
  }
}
