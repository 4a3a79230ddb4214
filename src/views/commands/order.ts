/**
 * The order of the title/abstract Unscreened group: by relevance (the reviewer's own ranking, see
 * src/views/relevance.ts) or the original order of the sources. One setting,
 * `screening.unscreenedOrder`; a palette command flips it, and the Records view's title bar shows
 * one button whose icon and label say which order is on (clicking it switches to the other).
 */
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import type { Command } from '../commandManager';
import { readUnscreenedOrder, writeUnscreenedOrder, type UnscreenedOrderSetting } from '../relevance';

async function setOrder(value: UnscreenedOrderSetting): Promise<void> {
  await writeUnscreenedOrder(value);
  void vscode.window.setStatusBarMessage(
    value === 'relevance' ? vscode.l10n.t('$(sort-precedence) Unscreened records: likely includes first') : vscode.l10n.t('$(list-ordered) Unscreened records: original order'),
    3000,
  );
}

export class ToggleUnscreenedOrderCommand implements Command {
  readonly id = Commands.toggleUnscreenedOrder;
  execute(): Promise<void> {
    return setOrder(readUnscreenedOrder() === 'relevance' ? 'original' : 'relevance');
  }
}

/** The title-bar button while relevance order is on ("Unscreened Order: Relevance — switch to original"). */
export class UseOriginalOrderCommand implements Command {
  readonly id = Commands.useOriginalOrder;
  execute(): Promise<void> {
    return setOrder('original');
  }
}

/** The title-bar button while the original order is on. */
export class UseRelevanceOrderCommand implements Command {
  readonly id = Commands.useRelevanceOrder;
  execute(): Promise<void> {
    return setOrder('relevance');
  }
}
