/**
 * The possible-duplicates webview (browser side): two records side by side, each field's row marked
 * same / differs / missing, the words of a differing field that the other record lacks highlighted.
 * Record strings are set with textContent only. Keys: d confirm, 1 / 2 keep left / right, x reject,
 * j / k next / previous pair.
 */
import type { DuplicateField, DuplicatePairView, DuplicatesHostMessage, DuplicatesWebviewMessage } from './protocol';

interface VsCodeApi {
  postMessage(message: DuplicatesWebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing`);
  return element as T;
};
const labels = JSON.parse(byId<HTMLScriptElement>('labels').textContent ?? '{}') as Record<string, string>;
const table = byId<HTMLTableElement>('pair');
const rows = byId<HTMLTableSectionElement>('rows');
const empty = byId<HTMLParagraphElement>('empty');
const position = byId<HTMLSpanElement>('position');
const why = byId<HTMLParagraphElement>('why');
const buttons = Array.from(document.querySelectorAll<HTMLButtonElement>('.toolbar button'));
let shown: DuplicatePairView | undefined;

const FIELDS: (DuplicateField | 'abstract')[] = ['title', 'authors', 'journal', 'year', 'volume', 'issue', 'pages', 'doi', 'pmid', 'abstract'];

function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** The text as spans, words missing from `other` wrapped in <mark>. */
function marked(cell: HTMLElement, text: string, other: string | undefined, mark: boolean): void {
  if (!mark || other === undefined) {
    cell.textContent = text;
    return;
  }
  const present = new Set(words(other));
  for (const part of text.split(/(\s+)/)) {
    const key = words(part).join('');
    if (part.trim() && key && !words(part).every((w) => present.has(w))) {
      const m = document.createElement('mark');
      m.textContent = part;
      cell.append(m);
    } else {
      cell.append(document.createTextNode(part));
    }
  }
}

function render(pair: DuplicatePairView): void {
  shown = pair;
  empty.hidden = true;
  table.hidden = false;
  for (const button of buttons) button.disabled = false;
  position.textContent = pair.position > 0 ? labels.position.replace('{0}', String(pair.position)).replace('{1}', String(pair.total)) : labels.manual;
  why.textContent = labels.why.replace('{0}', pair.rule);
  rows.replaceChildren();
  const row = (label: string, left: string | undefined, right: string | undefined, state: string | undefined, field?: string) => {
    const tr = document.createElement('tr');
    if (state) tr.className = state;
    if (field) tr.dataset.field = field;
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = label;
    const a = document.createElement('td');
    const b = document.createElement('td');
    // Source and decisions always differ: only record fields are marked.
    const mark = field !== undefined && (state === 'different' || (state === undefined && left !== right));
    marked(a, left ?? '—', right, mark && left !== undefined);
    marked(b, right ?? '—', left, mark && right !== undefined);
    const badge = document.createElement('td');
    badge.className = 'badge';
    badge.textContent = state ? (labels[state] ?? state) : '';
    tr.append(th, a, b, badge);
    rows.append(tr);
  };
  for (const field of FIELDS) {
    const left = pair.a.values[field];
    const right = pair.b.values[field];
    if (left === undefined && right === undefined) continue;
    const state = field === 'abstract' ? undefined : (pair.fields[field] ?? (left === undefined || right === undefined ? 'missing' : left === right ? 'same' : 'different'));
    row(labels[field] ?? field, field === 'abstract' ? left?.slice(0, 600) : left, field === 'abstract' ? right?.slice(0, 600) : right, state, field);
  }
  row(labels.source, pair.a.source, pair.b.source, undefined);
  if (pair.a.decisions.length + pair.b.decisions.length > 0) row(labels.decisions, pair.a.decisions.join('\n') || undefined, pair.b.decisions.join('\n') || undefined, undefined);
}

function showEmpty(message: string): void {
  shown = undefined;
  table.hidden = true;
  empty.hidden = false;
  empty.textContent = message;
  position.textContent = '';
  why.textContent = '';
  for (const button of buttons) button.disabled = true;
}

function decide(verdict: 'duplicate' | 'distinct', keep?: 'a' | 'b'): void {
  if (!shown) return;
  for (const button of buttons) button.disabled = true;
  vscode.postMessage({ type: 'duplicates/decide', verdict, ...(keep ? { keep } : {}) });
}

byId('confirm').addEventListener('click', () => decide('duplicate'));
byId('keep-a').addEventListener('click', () => decide('duplicate', 'a'));
byId('keep-b').addEventListener('click', () => decide('duplicate', 'b'));
byId('reject').addEventListener('click', () => decide('distinct'));
byId('next').addEventListener('click', () => vscode.postMessage({ type: 'duplicates/move', delta: 1 }));
byId('previous').addEventListener('click', () => vscode.postMessage({ type: 'duplicates/move', delta: -1 }));

document.addEventListener('keydown', (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.target instanceof HTMLInputElement) return;
  const actions: Record<string, () => void> = {
    d: () => decide('duplicate'),
    '1': () => decide('duplicate', 'a'),
    '2': () => decide('duplicate', 'b'),
    x: () => decide('distinct'),
    j: () => vscode.postMessage({ type: 'duplicates/move', delta: 1 }),
    k: () => vscode.postMessage({ type: 'duplicates/move', delta: -1 }),
  };
  const action = actions[event.key];
  if (action) {
    event.preventDefault();
    action();
  }
});

window.addEventListener('message', (event: MessageEvent<DuplicatesHostMessage>) => {
  const message = event.data;
  if (message.type === 'duplicates/show') render(message.pair);
  else if (message.type === 'duplicates/empty') showEmpty(message.message);
});

vscode.postMessage({ type: 'duplicates/ready' });
