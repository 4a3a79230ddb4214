/**
 * Search: a Quick Pick with live, typo-tolerant results over titles, abstracts, authors and
 * keywords (src/screening/search, in a worker). Quick Pick items cannot highlight matches, so each
 * result's `detail` shows the matched passage with the matched words marked «like this»; VS Code's
 * own filtering is off (`alwaysShow`, match on description and detail off): the engine decides.
 * Choosing a result opens it in the reader. A button turns the query into a filter on the tree.
 *
 * Filter: sets a query that restricts the Records tree (shown in the view's description and
 * message); Clear Filter removes it. The filter follows the records when they are re-imported.
 */
import * as vscode from 'vscode';
import type { BibRecord } from '../../screening/record';
import { displayTitle, listDescription, snippetAround, textStart } from '../../screening/record-display';
import type { GroupKind } from '../../screening/screening-index';
import type { MatchPositions } from '../../screening/search';
import { Commands } from '../commandIds';
import type { Command, Services } from '../commandManager';
import { perfMark } from '../perfProbe';
import { groupLabel } from '../recordsTree';
import { safeLabel } from '../screeningActions';

const MAX_ITEMS = 50;
/** Searches start after a pause this long (a key every ~120 ms while typing steadily). */
const TYPING_DELAY_MS = 90;
/** Fewer letters match most of a large review: nothing useful to show, much to transfer. */
const MIN_QUERY_LETTERS = 3;

interface ResultItem extends vscode.QuickPickItem {
  recordId?: string;
}

export class SearchCommand implements Command {
  readonly id = Commands.search;
  constructor(private readonly services: Services) {}

  /** (query?: string) — opens the Quick Pick, filled in with `query` when given. */
  async execute(initial?: unknown): Promise<void> {
    const { search, model } = this.services;
    const pick = vscode.window.createQuickPick<ResultItem>();
    pick.title = vscode.l10n.t('Search Records');
    pick.placeholder = vscode.l10n.t('Words (typos are fine), "a phrase", -exclude, title: author: keyword: year:2015-2020');
    pick.matchOnDescription = false;
    pick.matchOnDetail = false;
    pick.keepScrollPosition = false;
    const filterButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('filter'), tooltip: vscode.l10n.t('Filter the Records view by this query') };
    pick.buttons = [filterButton];
    const disposables: vscode.Disposable[] = [pick];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let generation = 0;

    const run = async (query: string): Promise<void> => {
      const mine = ++generation;
      if (query.replace(/[^\p{L}\p{N}]/gu, '').length < MIN_QUERY_LETTERS) {
        pick.items = [];
        pick.busy = false;
        pick.title = query.trim() ? vscode.l10n.t('Search Records: type at least {0} letters', MIN_QUERY_LETTERS) : vscode.l10n.t('Search Records');
        return;
      }
      pick.busy = true;
      perfMark('search/query', { query });
      const outcome = await search.search(query).catch((error: unknown) => {
        pick.title = vscode.l10n.t('Search failed: {0}', error instanceof Error ? error.message : String(error));
        return undefined;
      });
      if (mine !== generation || !outcome || outcome.cancelled) return;
      const review = model.review;
      if (!review) return;
      const shown = outcome.results.slice(0, MAX_ITEMS);
      const positions = await Promise.all(shown.map((result) => search.positions(result.id, query).catch(() => undefined)));
      if (mine !== generation) return;
      const items: ResultItem[] = [];
      shown.forEach((result, i) => {
        const record = review.record(result.id);
        if (record) items.push(resultItem(record, positions[i], model.index?.stage(model.stage)?.groupAt(model.index.positionOf(record.id) ?? -1)?.kind));
      });
      pick.items = items;
      pick.busy = false;
      perfMark('search/shown', { query, total: outcome.total });
      const total = outcome.total.toLocaleString('en-US');
      pick.title =
        outcome.total === 0
          ? outcome.suggestions.length > 0
            ? vscode.l10n.t('No records match. Did you mean: {0}?', outcome.suggestions.flatMap((suggestion) => suggestion.terms.slice(0, 2)).join(', '))
            : vscode.l10n.t('No records match')
          : outcome.relaxed
            ? vscode.l10n.t('{0} records match some of the words', total)
            : outcome.total === 1
              ? vscode.l10n.t('1 record matches')
              : outcome.total > MAX_ITEMS
              ? vscode.l10n.t('{0} records match (the best {1} shown; filter the tree to see all)', total, MAX_ITEMS)
              : vscode.l10n.t('{0} records match', total);
    };

    pick.onDidChangeValue(
      (value) => {
        clearTimeout(timer);
        timer = setTimeout(() => void run(value), TYPING_DELAY_MS);
      },
      undefined,
      disposables,
    );
    pick.onDidAccept(
      () => {
        const item = pick.activeItems[0];
        if (!item?.recordId) return;
        pick.hide();
        void this.services.reader.show({ recordId: item.recordId, stage: model.stage }, { preserveFocus: false });
        this.services.records.reveal(item.recordId, model.stage);
      },
      undefined,
      disposables,
    );
    pick.onDidTriggerButton(
      (button) => {
        if (button !== filterButton) return;
        const query = pick.value;
        pick.hide();
        void vscode.commands.executeCommand(Commands.filter, query);
      },
      undefined,
      disposables,
    );
    pick.onDidHide(
      () => {
        clearTimeout(timer);
        generation++;
        for (const disposable of disposables) disposable.dispose();
      },
      undefined,
      disposables,
    );
    pick.show();
    if (typeof initial === 'string' && initial) {
      pick.value = initial;
      void run(initial);
    }
    // Start indexing now if it has not started yet.
    const review = this.services.session.review;
    if (review) void search.ensureIndexed(review).catch(() => undefined);
  }
}

function resultItem(record: BibRecord, positions: MatchPositions | undefined, group: GroupKind | undefined): ResultItem {
  const description = [listDescription(record), group ? groupLabel(group) : ''].filter(Boolean).join(' · ');
  let detail: string;
  if (positions && positions.abstract.length > 0 && record.abstract) detail = snippetAround(record.abstract, positions.abstract, 150);
  else if (positions && positions.title.length > 0) detail = snippetAround(record.title, positions.title, 150);
  else if (positions && positions.keywords.some((spans) => spans.length > 0)) {
    detail = `${vscode.l10n.t('Keywords')}: ${record.keywords.map((keyword, i) => ((positions.keywords[i]?.length ?? 0) > 0 ? `«${keyword}»` : keyword)).join(', ')}`;
  } else if (positions && positions.authors.some((spans) => spans.length > 0)) {
    detail = `${vscode.l10n.t('Authors')}: ${record.authors.map((author, i) => ((positions.authors[i]?.length ?? 0) > 0 ? `«${author}»` : author)).join('; ')}`;
  } else if (positions && positions.fullText.length > 0 && record.fullText) detail = snippetAround(record.fullText, positions.fullText, 150);
  else detail = textStart(record.abstract, 150);
  return { label: safeLabel(displayTitle(record)), description: safeLabel(description), detail: safeLabel(detail), alwaysShow: true, recordId: record.id };
}

export class FilterCommand implements Command {
  readonly id = Commands.filter;
  private listening = false;
  constructor(private readonly services: Services) {}

  /** (query?: string) — asks for the query when not given; an empty query clears the filter. */
  async execute(queryArg?: unknown): Promise<number | undefined> {
    const { model, search } = this.services;
    const query =
      typeof queryArg === 'string'
        ? queryArg
        : await vscode.window.showInputBox({
            title: vscode.l10n.t('Filter the Records View'),
            prompt: vscode.l10n.t('Show only the records that match (typos are fine; "a phrase", -exclude, title:, author:, year:2015-2020). Empty clears the filter.'),
            value: model.filter?.query ?? '',
          });
    if (query === undefined) return undefined;
    if (!query.trim()) {
      model.setFilter(undefined);
      return undefined;
    }
    if (!this.listening) {
      this.listening = true;
      // Re-run the query when the records are re-imported.
      this.services.context.subscriptions.push(
        search.onDidReindex(() => {
          const current = model.filter;
          if (current) void this.apply(current.query);
        }),
      );
    }
    return vscode.window.withProgress({ location: { viewId: 'screening.records' } }, () => this.apply(query.trim()));
  }

  private async apply(query: string): Promise<number | undefined> {
    const outcome = await this.services.search.search(query);
    if (!outcome || outcome.cancelled) return undefined;
    this.services.model.setFilter({ query, ids: new Set(outcome.results.map((result) => result.id)) });
    return outcome.total;
  }
}

export class ClearFilterCommand implements Command {
  readonly id = Commands.clearFilter;
  constructor(private readonly services: Services) {}
  execute(): void {
    this.services.model.setFilter(undefined);
  }
}
