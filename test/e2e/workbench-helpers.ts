/**
 * Helpers shared by the workbench e2e tests (test/e2e/workbench*.test.ts) and the workbench
 * benchmark: the Records tree, the record reader's frame, keys, Quick Picks and decisions files.
 */
import { fileSafeReviewerId } from '../../src/screening/reviewer';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Locator } from 'playwright-core';
import type { VsCode } from './harness';

export interface DecisionLine {
  record: string;
  stage: string;
  verdict: string;
  reason: string | null;
  note: string | null;
  time: string;
}

/** A reviewer's decisions as written on disk (empty when the file does not exist). */
export function readDecisions(workspace: string, reviewer: string): DecisionLine[] {
  const file = join(workspace, 'screening', 'decisions', `${fileSafeReviewerId(reviewer)}.json`);
  if (!existsSync(file)) return [];
  return (JSON.parse(readFileSync(file, 'utf8')) as { decisions: DecisionLine[] }).decisions;
}

/** Polls `read` until `accept` holds; returns the value and how long it took. */
export async function waitFor<T>(read: () => T | Promise<T>, accept: (value: T) => boolean, what: string, timeout = 15_000): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  let value = await read();
  while (!accept(value)) {
    if (Date.now() - start > timeout) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
    value = await read();
  }
  return { value, ms: Date.now() - start };
}

/** A row of the Records tree whose label contains `text`. */
export function treeRow(vsc: VsCode, text: string | RegExp): Locator {
  return vsc.view('Records').locator('.monaco-list-row', { has: vsc.page.locator('.label-name', { hasText: text }) }).first();
}

/**
 * Expands a collapsed tree row by clicking its twistie, as a person would, and clicks again while it
 * stays collapsed: a tree that re-renders (the review still loading, a refresh after a decision) can
 * swallow a click on a loaded machine.
 */
export async function expandRow(vsc: VsCode, text: string | RegExp, timeout = 30_000): Promise<void> {
  const row = treeRow(vsc, text);
  await row.waitFor({ state: 'visible', timeout });
  const start = Date.now();
  let clickedAt = 0;
  for (;;) {
    const expanded = await row.getAttribute('aria-expanded', { timeout: 5_000 }).catch(() => null);
    if (expanded === 'true') return;
    if (Date.now() - start > timeout) throw new Error(`expanding "${String(text)}": still ${JSON.stringify(expanded)} after ${timeout} ms`);
    if (expanded === 'false' && Date.now() - clickedAt > 2_000) {
      clickedAt = Date.now();
      await row.locator('.monaco-tl-twistie').click({ timeout: 5_000 }).catch(() => undefined);
    }
    await vsc.page.waitForTimeout(100);
  }
}

/** The reader's content frame (the webview with the screening toolbar). */
export function reader(vsc: VsCode, timeout = 30_000): Promise<Frame> {
  return vsc.webview('Next unscreened', timeout);
}

/** The record id the reader shows. */
export async function readerRecord(frame: Frame): Promise<string | undefined> {
  return (await frame.locator('body').getAttribute('data-record-id').catch(() => null)) ?? undefined;
}

/** Waits until the reader shows the record `id`. */
export async function waitForReader(frame: Frame, id: string, timeout = 15_000): Promise<void> {
  await frame.waitForFunction((expected) => document.body.dataset.recordId === expected && document.body.dataset.busy !== 'true', id, { timeout, polling: 'raf' });
}

/** Gives the reader the keyboard (a click on its title, as a person would). */
export async function focusReader(frame: Frame): Promise<void> {
  await frame.locator('#position').click();
}

/** Clicks the Quick Pick row whose label contains `text` (waiting for it). */
export async function pickQuickItem(vsc: VsCode, text: string | RegExp): Promise<void> {
  // Not a Quick Pick still fading out (VS Code makes it inert while its close animation runs).
  const row = vsc.page.locator('.quick-input-widget:not([inert]) .monaco-list-row', { has: vsc.page.locator('.label-name', { hasText: text }) }).first();
  await row.waitFor({ state: 'visible' });
  await row.click();
}

/** The visible rows of the open Quick Pick: label, description and detail. */
export async function quickPickRows(vsc: VsCode): Promise<{ label: string; description: string; detail: string }[]> {
  return vsc.page.locator('.quick-input-widget:not([inert]) .monaco-list-row').evaluateAll((rows) =>
    rows.map((row) => ({
      label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
      description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
      detail: row.querySelector('.quick-input-list-label-meta .monaco-icon-label, .quick-input-list-label-meta')?.textContent?.trim() ?? '',
    })),
  );
}

/** Answers VS Code's simple file dialog (a remote window's open or save dialog) with `path`. */
export async function answerFileDialog(vsc: VsCode, path: string): Promise<void> {
  const input = vsc.page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await vsc.page.waitForTimeout(400); // the dialog fills in its default path first
  await input.fill(path);
  await vsc.page.waitForTimeout(400);
  await input.press('Enter');
}

/** Runs "Screening: Search Records…" and waits until its Quick Pick takes typing; returns its input. */
export async function openSearch(vsc: VsCode): Promise<Locator> {
  await vsc.runCommand('Screening: Search Records…');
  const input = vsc.page.locator('.quick-input-widget input.input');
  await vsc.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Search Records' }).waitFor({ state: 'visible' });
  await waitFor(() => input.evaluate((element) => element === document.activeElement), (focused) => focused, 'the search input has the focus');
  return input;
}

/** The titles of the five seed records (seeds/), as the Records tree shows them (start). */
export const SEED_TITLES = [
  'Strengthening the delivery of integrated care for individuals experiencing serious mental illness',
  'Barriers to Somatic Health Care for Persons With Severe Mental Illness in Belgium',
  'Planning to integrate mental and physical health',
  'Coordination of services for people with serious mental illness and general medical conditions',
  'Integrating physical and mental health',
];
