/**
 * The PRISMA flow webview in a real VS Code, on the sample review (a copy of seeds/):
 * "Screening: Show PRISMA Flow" draws the diagram with the pending banner; a second reviewer's
 * decisions written to disk (as a git pull would bring them) change the right boxes within a
 * second, and the banner goes once nothing is pending; an exclusion reason typed as markup shows
 * as text and runs nothing; the per-source detail opens on demand; the boxes take keyboard focus;
 * SVG, PNG and CSV exports go through the buttons, the palette and the save dialog; the panel
 * survives a window reload with its state; screenshots in the light, dark and high-contrast themes.
 */
import { fileSafeReviewerId } from '../../src/screening/reviewer';
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Frame } from 'playwright-core';
import { Review } from '../../src/screening/review';
import { pngDpi, pngSize } from '../../src/screening/png';
import { copyFixture, withVsCode, type VsCode } from './harness';

const SCRIPT_REASON = '</text><script>alert(1)</script>';
const LIVE_LIMIT_MS = 2_000;

/** The text drawn in a diagram box (its SVG text lines joined by spaces). */
async function boxText(frame: Frame, id: string): Promise<string> {
  return frame.locator(`[data-box="${id}"]`).evaluate((box) => Array.from(box.querySelectorAll('text'), (text) => text.textContent ?? '').join(' '));
}

/** Polls until the box shows `expected`; returns how long it took. */
async function waitForBox(frame: Frame, id: string, expected: string, timeout = 15_000): Promise<number> {
  const start = Date.now();
  let last = '';
  while (Date.now() - start < timeout) {
    last = await boxText(frame, id).catch(() => '');
    if (last.includes(expected)) return Date.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`box ${id} never showed "${expected}" (last: "${last}")`);
}

/** Writes a reviewer's decisions file the way the extension does (temporary file, then rename). */
function writeDecisions(workspace: string, reviewer: string, decisions: { record: string; stage: string; verdict: string; reason?: string }[]): void {
  const dir = join(workspace, 'screening', 'decisions');
  mkdirSync(dir, { recursive: true });
  const lines = decisions.map((d, i) =>
    JSON.stringify({ record: d.record, stage: d.stage, verdict: d.verdict, reason: d.reason ?? null, note: null, time: new Date(Date.UTC(2026, 1, 3, 10, 0, i)).toISOString() }),
  );
  const file = join(dir, `${fileSafeReviewerId(reviewer)}.json`);
  writeFileSync(`${file}.tmp`, `{"format":"sr-screening-decisions","version":1,"reviewer":"${reviewer}","decisions":[\n${lines.join(',\n')}\n]}\n`);
  renameSync(`${file}.tmp`, file);
}

/** Picks a colour theme through "Preferences: Color Theme", as a person would. */
async function setTheme(vsc: VsCode, theme: string): Promise<void> {
  // Not vsc.runCommand: this command opens a second picker, so the palette never closes in between.
  const input = await vsc.openQuickInput('>');
  await input.fill('>Preferences: Color Theme');
  await vsc.page.locator('.quick-input-widget .monaco-list-row', { has: vsc.page.locator('.label-name', { hasText: /^Preferences: Color Theme$/ }) }).first().click();
  await vsc.page.locator('.quick-input-widget .monaco-list-row', { hasText: /Light|Dark/ }).first().waitFor({ state: 'visible' });
  await input.fill(theme);
  await vsc.page.locator('.quick-input-widget .monaco-list-row', { hasText: theme }).first().waitFor({ state: 'visible' });
  await input.press('Enter');
  await vsc.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await vsc.page.waitForTimeout(600); // the webview picks up the new colours
}

/** Answers VS Code's save dialog (the simple file dialog of a remote window) with `path`. */
async function answerSaveDialog(vsc: VsCode, path: string): Promise<void> {
  const input = vsc.page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await vsc.page.waitForTimeout(300); // the dialog fills in its default path first
  await input.fill(path);
  await vsc.page.waitForTimeout(300);
  await input.press('Enter');
  await vsc.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

async function waitForFile(path: string, timeout = 60_000): Promise<Buffer> {
  const start = Date.now();
  while (Date.now() - start < timeout) {
    if (existsSync(path)) {
      const bytes = readFileSync(path);
      if (bytes.length > 0) return bytes;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${path} was not written`);
}

test('the PRISMA flow webview: diagram, live updates, escaping, exports, themes', { timeout: 420_000 }, (t) => {
  const workspace = copyFixture('seeds');
  return withVsCode('prisma', { workspace, viewport: { width: 1600, height: 1000 }, settings: { 'workbench.colorTheme': 'Default Light Modern' } }, async (vsc) => {
    // The seeds' record ids, read as the CLI would.
    const review = await Review.load(workspace, { reviewer: 'e2e@example.org', git: async () => ({ code: 1, stdout: '', stderr: '' }) });
    const idOf = (prefix: string) => review.records.find((record) => record.provenance.file.replace(/^.*[\\/]/, '').startsWith(prefix))!.id;
    const [db000, cord19, web002, db003, web004] = ['000_', '001_', '002_', '003_', '004_'].map(idOf);
    review.dispose();

    const dialogs: string[] = [];
    vsc.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const cspViolations: string[] = [];
    vsc.page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text()) && /webview|vscode-cdn|vscode-resource/i.test(`${message.location().url} ${message.text()}`)) cspViolations.push(message.text());
    });

    await vsc.runCommand('Screening: Show PRISMA Flow');
    const frame = await vsc.webview('PRISMA 2020 flow diagram');
    await frame.locator('[data-box="records_screened"]').waitFor({ state: 'visible', timeout: 60_000 });
    // Close the side bar so the diagram has the window's width.
    if (await vsc.page.locator('.part.sidebar').isVisible()) await vsc.page.keyboard.press('Control+B');

    // The sample review: 3 database records, 2 from websites, nothing decided yet.
    assert.match(await boxText(frame, 'database_results'), /Databases \(n = 3\) Registers \(n = 0\)/);
    assert.match(await boxText(frame, 'website_results'), /Websites \(n = 2\)/);
    assert.equal(await boxText(frame, 'records_screened'), 'Records screened (n = 3) Awaiting a decision (n = 3)');
    assert.equal(await boxText(frame, 'records_excluded'), 'Records excluded (n = 0)');
    await frame.locator('#banner').getByText('5 records are still pending').waitFor({ state: 'visible' });
    await vsc.screenshot('light-pending');

    // A second reviewer joins with an empty decisions file; once the view has redrawn for it, the
    // window's file watcher is known to be running (it starts asynchronously on the server).
    const sequence = async () => Number(await frame.locator('body').getAttribute('data-sequence'));
    const before = await sequence();
    const warmUp = Date.now();
    while ((await sequence()) === before) {
      if (Date.now() - warmUp > 60_000) throw new Error('the view never redrew for a new decisions file');
      writeDecisions(workspace, 'bob@example.org', []);
      await frame.waitForFunction((n) => Number(document.body.dataset.sequence) > n, before, { timeout: 2_000 }).catch(() => undefined);
    }
    t.diagnostic(`the file watcher answered ${Date.now() - warmUp} ms after the first write`);

    // A second reviewer's decision arrives on disk: the records-excluded box changes within a second.
    writeDecisions(workspace, 'bob@example.org', [{ record: cord19, stage: 'title-abstract', verdict: 'exclude', reason: 'Off topic' }]);
    const elapsed = await waitForBox(frame, 'records_excluded', 'Records excluded (n = 1)');
    t.diagnostic(`records_excluded changed ${elapsed} ms after the decisions file was written`);
    assert.ok(elapsed <= LIVE_LIMIT_MS, `the diagram updated after ${elapsed} ms (limit ${LIVE_LIMIT_MS} ms)`);
    assert.equal(await boxText(frame, 'records_screened'), 'Records screened (n = 3) Awaiting a decision (n = 2)');

    // An exclusion reason typed as markup is shown as text and runs nothing.
    writeDecisions(workspace, 'bob@example.org', [
      { record: cord19, stage: 'title-abstract', verdict: 'exclude', reason: 'Off topic' },
      { record: db003, stage: 'full-text', verdict: 'exclude', reason: SCRIPT_REASON },
      { record: db003, stage: 'title-abstract', verdict: 'include' },
    ]);
    await waitForBox(frame, 'dbr_excluded', `${SCRIPT_REASON} (n = 1)`);
    await frame.locator('[data-box="dbr_excluded"] text', { hasText: SCRIPT_REASON }).waitFor({ state: 'visible' });
    assert.equal(await boxText(frame, 'dbr_assessed'), 'Reports assessed for eligibility (n = 1)');
    const scripts = await frame.evaluate(() => Array.from(document.scripts, (script) => script.src || (script.textContent ?? '').slice(0, 80)));
    assert.equal(scripts.filter((script) => script.includes('prisma.js')).length, 1, 'the webview runs its own script');
    assert.deepEqual(scripts.filter((script) => script.includes('alert')), [], `no script from the reason: ${scripts.join(' | ')}`);
    assert.equal(await frame.locator('#diagram script, #diagram foreignObject, #diagram [onload]').count(), 0);
    assert.deepEqual(dialogs, [], 'no alert was shown');

    // Keyboard: the boxes take focus and the arrow keys move between them.
    await frame.locator('[data-box="records_screened"]').focus();
    await frame.locator('[data-box="records_screened"]').press('ArrowDown');
    assert.equal(await frame.evaluate(() => document.activeElement?.getAttribute('data-box')), 'records_excluded');
    assert.match((await frame.locator('[data-box="records_excluded"]').getAttribute('aria-label')) ?? '', /^Records excluded \(n = 1\)$/);

    // Per-source detail, on demand.
    await frame.locator('#sources summary').click();
    await frame.locator('#source-rows td', { hasText: 'CORD-19' }).waitFor({ state: 'visible' });
    await frame.locator('#detail').check();
    await waitForBox(frame, 'database_results', 'CORD-19 (n = 1)');
    await vsc.screenshot('light-detail-and-reason');
    await frame.locator('#detail').uncheck();
    await frame.locator('#sources summary').click();
    await frame.locator('[data-box="new_studies"]').scrollIntoViewIfNeeded();

    // The last decisions: nothing is pending any more, and the banner goes.
    writeDecisions(workspace, 'bob@example.org', [
      { record: db000, stage: 'full-text', verdict: 'include' },
      { record: db000, stage: 'title-abstract', verdict: 'include' },
      { record: cord19, stage: 'title-abstract', verdict: 'exclude', reason: 'Off topic' },
      { record: web002, stage: 'title-abstract', verdict: 'exclude', reason: 'Off topic' },
      { record: db003, stage: 'full-text', verdict: 'exclude', reason: SCRIPT_REASON },
      { record: db003, stage: 'title-abstract', verdict: 'include' },
      { record: web004, stage: 'full-text', verdict: 'include' },
      { record: web004, stage: 'title-abstract', verdict: 'include' },
    ]);
    await waitForBox(frame, 'new_studies', 'Studies included in review (n = 2) Reports of included studies (n = 2)');
    await frame.locator('#banner').waitFor({ state: 'hidden' });
    assert.equal(await frame.locator('[data-box="pending"]').count(), 0, 'no pending notice in the diagram');
    assert.equal(await boxText(frame, 'other_records_excluded'), 'Records excluded (n = 1)');
    assert.equal(await boxText(frame, 'other_assessed'), 'Reports assessed for eligibility (n = 1)');

    // Exports through the buttons and the save dialog.
    const svgPath = join(vsc.artifacts, 'exported-prisma-flow.svg');
    await frame.getByRole('button', { name: 'Export SVG' }).click();
    await answerSaveDialog(vsc, svgPath);
    const svg = (await waitForFile(svgPath)).toString('utf8');
    assert.ok(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg '), 'an SVG file');
    assert.ok(svg.includes('Records excluded</text>'), 'with the diagram');
    assert.ok(svg.includes('&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;'), 'with the reason escaped');
    assert.ok(!svg.includes('<script'), 'and no script');
    assert.ok(!svg.includes('not final'), 'a finished flow');
    await frame.locator('#export-status', { hasText: 'Saved' }).waitFor({ state: 'visible' });

    const pngPath = join(vsc.artifacts, 'exported-prisma-flow.png');
    await frame.getByRole('button', { name: 'Export PNG' }).click();
    await answerSaveDialog(vsc, pngPath);
    const png = new Uint8Array(await waitForFile(pngPath));
    const size = pngSize(png);
    const svgWidth = Number(/<svg [^>]*width="([\d.]+)"/.exec(svg)![1]);
    assert.equal(size.width, Math.round(svgWidth * (300 / 96)), 'rendered at 300 dpi');
    assert.equal(pngDpi(png), 300, 'and says so');
    t.diagnostic(`PNG ${size.width}×${size.height}, ${png.length} bytes`);

    // As drawn by the browser: every line of text stays inside its box, no two boxes overlap.
    const geometry = await frame.evaluate(() => {
      const problems: string[] = [];
      const rects: { id: string; x: number; y: number; right: number; bottom: number }[] = [];
      for (const box of Array.from(document.querySelectorAll<SVGGElement>('#diagram [data-box]'))) {
        const id = box.getAttribute('data-box') ?? '?';
        const r = box.querySelector('rect')!.getBBox();
        rects.push({ id, x: r.x, y: r.y, right: r.x + r.width, bottom: r.y + r.height });
        for (const text of Array.from(box.querySelectorAll('text'))) {
          const t = text.getBBox();
          // Phase labels are turned a quarter: their length runs along the box's height.
          if (text.hasAttribute('transform')) {
            if (t.width > r.height - 2 || t.height > r.width) problems.push(`${id}: "${text.textContent}" overflows`);
            continue;
          }
          if (t.x < r.x + 1 || t.x + t.width > r.x + r.width - 1 || t.y < r.y || t.y + t.height > r.y + r.height) problems.push(`${id}: "${text.textContent}" overflows`);
        }
      }
      for (let i = 0; i < rects.length; i++) {
        for (let j = i + 1; j < rects.length; j++) {
          const [a, b] = [rects[i], rects[j]];
          if (a.x < b.right && b.x < a.right && a.y < b.bottom && b.y < a.bottom) problems.push(`${a.id} overlaps ${b.id}`);
        }
      }
      const font = getComputedStyle(document.querySelector('#diagram text')!).fontFamily;
      return { problems, font, boxes: rects.length };
    });
    t.diagnostic(`${geometry.boxes} boxes drawn in ${geometry.font}`);
    assert.deepEqual(geometry.problems, []);

    // Themes: dark, then high contrast.
    await vsc.runCommand('Notifications: Clear All Notifications');
    await vsc.screenshot('light-final');
    await setTheme(vsc, 'Dark Modern');
    await frame.locator('[data-box="records_screened"]').waitFor({ state: 'visible' });
    await vsc.screenshot('dark');
    const colours = await frame.evaluate(() => {
      const text = document.querySelector('[data-box="records_screened"] text')!;
      return { text: getComputedStyle(text).fill, background: getComputedStyle(document.body).backgroundColor };
    });
    t.diagnostic(`dark theme: text ${colours.text} on ${colours.background}`);
    assert.notEqual(colours.text, 'rgb(0, 0, 0)', 'the diagram text follows the theme, not the print colour');
    await setTheme(vsc, 'Dark High Contrast');
    await vsc.screenshot('high-contrast');
    await setTheme(vsc, 'Light Modern');

    // The panel survives a reload of the window (WebviewPanelSerializer), with its view state.
    await frame.locator('#sources summary').click();
    await frame.locator('#detail').check();
    await waitForBox(frame, 'database_results', 'CORD-19 (n = 1)');
    const reloaded = vsc.page.waitForEvent('load', { timeout: 60_000 });
    await vsc.runCommand('Developer: Reload Window');
    await reloaded;
    assert.ok(frame.isDetached(), 'the window reloaded');
    await vsc.workbench.waitFor({ state: 'visible', timeout: 60_000 });
    const revived = await vsc.webview('PRISMA 2020 flow diagram', 60_000);
    await waitForBox(revived, 'database_results', 'CORD-19 (n = 1)', 60_000);
    assert.equal(await revived.locator('#detail').isChecked(), true);
    assert.match(await boxText(revived, 'dbr_excluded'), /alert\(1\)<\/script> \(n = 1\)/);

    // The palette command: pick a format, then the save dialog.
    const csvPath = join(vsc.artifacts, 'exported-prisma-flow.csv');
    const palette = await vsc.openQuickInput('>');
    await palette.fill('>Screening: Export PRISMA Flow');
    await vsc.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Screening: Export PRISMA Flow' }).first().click();
    await vsc.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'PRISMA2020 CSV' }).first().click();
    await answerSaveDialog(vsc, csvPath);
    const csv = (await waitForFile(csvPath)).toString('utf8');
    assert.ok(csv.startsWith('data,node,box,description,boxtext,tooltips,url,n\n'));
    assert.match(csv, /\nrecords_excluded,node10,box5,[^\n]*,1\n/);

    assert.deepEqual(cspViolations, [], 'no content security policy violations');
  });
});
