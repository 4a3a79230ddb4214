/**
 * Records are untrusted input: a record whose title is `<img src=x onerror=alert(1)>`, whose abstract
 * holds `<script>` and Markdown/command links, whose author and keyword are markup and whose URL is
 * `javascript:`, shows as plain text in the Records tree (label and hover), the reader and the
 * search results; no script runs, no dialog opens, no element is created from record text, and the
 * reader's content security policy is never violated.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { withVsCode } from './harness';
import { expandRow, openSearch, quickPickRows, reader, treeRow, waitFor, waitForReader } from './workbench-helpers';

const TITLE = '<img src=x onerror=alert(1)> $(alert) Hostile title';
const ABSTRACT = 'An abstract with <script>alert(2)</script> and <b>bold</b> markup about mental illness. [quit](command:workbench.action.quit) **not bold** <style>body{display:none}</style>';
const AUTHOR = '<svg onload=alert(3)>, Mallory';
const KEYWORD = '<iframe src=javascript:alert(4)>';

test('hostile record text stays text in the tree, the reader and search', { timeout: 300_000 }, async (t) => {
  const workspace = mkdtempSync(join(tmpdir(), 'sr-e2e-xss-'));
  writeFileSync(
    join(workspace, 'hostile.ris'),
    [
      'TY  - JOUR',
      `TI  - ${TITLE}`,
      `AU  - ${AUTHOR}`,
      'PY  - 2024',
      `AB  - ${ABSTRACT}`,
      `KW  - ${KEYWORD}`,
      'UR  - javascript:alert(5)',
      'ER  - ',
      '',
      'TY  - JOUR',
      'TI  - An ordinary record on integrated care',
      'AU  - Doe, Jane',
      'PY  - 2021',
      'AB  - Nothing unusual here.',
      'ER  - ',
      '',
    ].join('\n'),
  );
  try {
    await withVsCode('workbench-xss', { workspace, viewport: { width: 1500, height: 950 }, settings: { 'screening.reviewer': 'e2e@example.org', 'screening.keywords.include': ['mental illness', 'script'] } }, async (vsc) => {
      const dialogs: string[] = [];
      vsc.page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      const cspViolations: string[] = [];
      vsc.page.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
      });

      // The tree: the label is the literal title.
      await vsc.openViewContainer('Screening');
      await vsc.setSideBarWidth(560);
      await expandRow(vsc, /^Unscreened \(2\)$/);
      const row = treeRow(vsc, '<img src=x onerror=alert(1)>');
      await row.waitFor({ state: 'visible', timeout: 60_000 });
      assert.equal((await row.locator('.label-name').innerText()).trim(), TITLE);
      assert.equal(await vsc.view('Records').locator('.monaco-list-row img, .monaco-list-row svg[onload]').count(), 0);
      // Its hover shows the abstract as text (Markdown escaped, no link made from it).
      // A hover can be lost when the tree re-renders under the mouse (a loaded machine): move away and
      // hover again, as a person would.
      const hover = vsc.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'alert(2)' }).first();
      for (let attempt = 1; ; attempt++) {
        await vsc.page.mouse.move(5, 5);
        await row.hover();
        const shown = await hover.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false);
        if (shown) break;
        if (attempt >= 4) throw new Error('the tree item hover never showed the record\'s abstract');
      }
      // (MarkdownString.appendText keeps spaces as no-break spaces.)
      const hoverText = (await hover.innerText()).replace(/\u00a0/g, ' ');
      assert.ok(hoverText.includes('<script>alert(2)</script>'), hoverText);
      assert.ok(hoverText.includes('**not bold**'), `Markdown in a record stays literal: ${hoverText}`);
      assert.equal(await hover.locator('img, script, a[href^="command:"], b').count(), 0, 'no element from record text in the hover');
      await vsc.screenshot('tree-hover-hostile-record');

      // The reader.
      await row.click();
      const frame = await reader(vsc);
      await frame.locator('#title').waitFor({ state: 'visible' });
      const id = (await frame.locator('body').getAttribute('data-record-id'))!;
      await waitForReader(frame, id);
      assert.equal(await frame.locator('#title').textContent(), TITLE);
      assert.ok((await frame.locator('#abstract').textContent())!.includes('<script>alert(2)</script>'));
      assert.ok((await frame.locator('#byline').textContent())!.includes('<svg onload=alert(3)>'));
      assert.ok((await frame.locator('#keywords').textContent())!.includes(KEYWORD));
      assert.equal(await frame.locator('#record img, #record script, #record svg, #record iframe, #record style, #record b').count(), 0, 'no element made from record text');
      assert.equal(await frame.locator('#links a[data-open="url"]').count(), 0, 'a javascript: URL is not offered');
      // Highlighting wraps terms in <mark> and nothing else ("script" is an include-term here).
      const marks = await frame.locator('#abstract mark').allTextContents();
      assert.deepEqual(marks, ['script', 'script', 'mental illness']);
      const scripts = await frame.evaluate(() =>
        Array.from(document.scripts, (script) => {
          if (script.src) return script.src.replace(/^.*\//, '');
          if (script.type === 'application/json') return 'strings';
          // VS Code injects one script of its own into every webview (acquireVsCodeApi).
          return (script.textContent ?? '').includes('acquireVsCodeApi') ? 'vscode' : `other: ${(script.textContent ?? '').slice(0, 80)}`;
        }),
      );
      assert.deepEqual(scripts.sort(), ['reader.js', 'strings', 'vscode'], 'only the reader’s own script, its string table and VS Code’s');
      assert.equal(await frame.evaluate(() => getComputedStyle(document.body).display), 'block', 'record CSS never applies');
      await vsc.screenshot('reader-hostile-record');

      // Search results.
      const search = await openSearch(vsc);
      await search.pressSequentially('hostile', { delay: 40 });
      await waitFor(() => search.inputValue(), (value) => value === 'hostile', 'the typed query');
      const { value: rows } = await waitFor(() => quickPickRows(vsc), (list) => list.length > 0 && list[0]!.label !== '', 'search results');
      assert.ok(rows[0]!.label.startsWith('<img src=x onerror=alert(1)>'), JSON.stringify(rows));
      assert.ok(rows[0]!.label.includes('$(alert)') || rows[0]!.label.includes('$\u200b(alert)'), `no icon made from "$(alert)": ${rows[0]!.label}`);
      assert.equal(await vsc.page.locator('.quick-input-widget .monaco-list-row img, .quick-input-widget .monaco-list-row .codicon-alert').count(), 0);
      await vsc.screenshot('search-hostile-record');
      await vsc.closeQuickInput();

      await vsc.page.waitForTimeout(500);
      assert.deepEqual(dialogs, [], 'no alert was shown');
      assert.deepEqual(cspViolations, [], 'no content security policy violations');
      t.diagnostic(`tree, hover, reader and search show the hostile record as text (${hoverText.length} characters of hover)`);
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
});
