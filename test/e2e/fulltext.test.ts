/**
 * Full-text screening with the papers themselves, in a real VS Code, on a copy of the sample review
 * with PDFs made at test time from its records: include four records at title/abstract by key;
 * "Screening: Match PDFs to Records" links three PDFs (by DOI file name, by the DOI printed in one,
 * by id for a damaged one); the Full text stage shows each record's retrieval state; the reader
 * shows the PDF with pdf.js, the review's include-terms highlighted in its text layer, find and
 * zoom; a quote selected in the PDF is attached to the decision, excluded by key with a reason;
 * the record without a PDF is marked not retrieved with r; the damaged PDF gets a clear message and
 * the keys still decide; PRISMA's full-text boxes show the counts.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Frame } from 'playwright-core';
import { articlePdf, damagedPdf } from '../support/make-pdf';
import { copyFixture, withVsCode } from './harness';
import { expandRow, focusReader, pickQuickItem, quickPickRows, readDecisions, reader, treeRow, waitFor, waitForReader } from './workbench-helpers';

const REVIEWER = 'e2e@example.org';
const ID = {
  db000: 'doi:10.1186/s12888-025-06572-2',
  cord001: 'doi:10.3389/fpsyt.2021.798530',
  db003: 'doi:10.1037/prj0000404',
  web004: 'ref:a15954c4c335',
};
const TITLES = {
  db000: 'Strengthening the delivery of integrated care for individuals experiencing serious mental illness',
  cord001: 'Barriers to Somatic Health Care for Persons With Severe Mental Illness in Belgium',
  db003: 'Coordination of services for people with serious mental illness and general medical conditions',
  web004: 'Integrating physical and mental health',
};

async function boxText(frame: Frame, id: string): Promise<string> {
  return frame.locator(`[data-box="${id}"]`).evaluate((box) => Array.from(box.querySelectorAll('text'), (text) => text.textContent ?? '').join(' '));
}

test('full text: PDFs matched, read with highlighted terms, quoted, decided by key; not retrieved; PRISMA', { timeout: 600_000 }, async (t) => {
  const workspace = copyFixture('seeds');
  mkdirSync(join(workspace, 'screening'), { recursive: true });
  writeFileSync(
    join(workspace, 'screening', 'review.json'),
    `${JSON.stringify(
      {
        format: 'sr-screening-review',
        version: 1,
        title: 'Full-text e2e',
        sources: [
          { file: '000_5ac076b1b50789ed.txt', category: 'database', name: 'Database 000' },
          { file: '001_86ab03fc405a49da.txt', category: 'database', name: 'CORD-19' },
          { file: '003_dc436e7f8f4458aa.txt', category: 'database', name: 'Database 003' },
          { file: '002_f4066c9c8d01d0c3.txt', category: 'website' },
          { file: '004_162abf6513c8e8a2.txt', category: 'website' },
        ],
        stages: { 'title-abstract': { reviewers: 1 }, 'full-text': { reviewers: 1, reasonRequired: true } },
        keywords: { include: ['serious mental illness', 'integrated care'], exclude: ['dementia'] },
      },
      null,
      2,
    )}\n`,
  );
  mkdirSync(join(workspace, 'fulltext'), { recursive: true });
  const abstract000 =
    'Individuals experiencing serious mental illness have poorer physical health. Integrated care models that bring physical and mental health services together are described, with barriers and facilitators of their delivery in community settings.';
  writeFileSync(join(workspace, 'fulltext', '10.1186_s12888-025-06572-2.pdf'), await articlePdf({ title: TITLES.db000, authors: ['Smith, A.', 'Jones, B.'], abstract: abstract000, doi: '10.1186/s12888-025-06572-2', journal: 'BMC Psychiatry', year: 2025 }, { pages: 3 }));
  writeFileSync(join(workspace, 'fulltext', 'download (1).pdf'), await articlePdf({ title: TITLES.db003, abstract: 'Coordination of care for people with serious mental illness.', doi: '10.1037/prj0000404', journal: 'Psychiatr Rehabil J', year: 2020 }));
  writeFileSync(join(workspace, 'fulltext', 'ref_a15954c4c335.pdf'), await damagedPdf({ title: TITLES.web004 }));

  await withVsCode(
    'fulltext',
    { workspace, viewport: { width: 1500, height: 1000 }, settings: { 'screening.reviewer': REVIEWER, 'screening.unscreenedOrder': 'original', 'workbench.colorTheme': 'Default Light Modern' } },
    async (vsc) => {
      // What the extension host and the reader print (PDFs it could not read, pdf.js warnings).
      vsc.page.on('console', (message) => {
        if (/sr-screening|pdf/i.test(message.text())) t.diagnostic(`console: ${message.text().slice(0, 500)}`);
      });
      await vsc.openViewContainer('Screening');
      await vsc.setSideBarWidth(520);
      await treeRow(vsc, 'Title/abstract').waitFor({ state: 'visible', timeout: 60_000 });
      await expandRow(vsc, /^Unscreened \(5\)$/);

      // Title/abstract: include 000, 001, 003 and 004 by key (002 stays unscreened).
      await treeRow(vsc, TITLES.db000).click();
      const frame = await reader(vsc);
      await waitForReader(frame, ID.db000);
      await focusReader(frame);
      // Source order: databases first (000, 001, 003), then the websites (002, 004).
      await vsc.page.keyboard.press('i');
      await waitForReader(frame, ID.cord001);
      await vsc.page.keyboard.press('i');
      await waitForReader(frame, ID.db003);
      await vsc.page.keyboard.press('i');
      await waitForReader(frame, 'ref:3ca766b16992');
      await vsc.page.keyboard.press('j');
      await waitForReader(frame, ID.web004);
      await vsc.page.keyboard.press('i');
      await waitFor(() => readDecisions(workspace, REVIEWER).filter((d) => d.stage === 'title-abstract' && d.verdict === 'include').length, (n) => n === 4, 'four includes on disk');

      // Match the folder's PDFs.
      await vsc.runCommand('Screening: Match PDFs to Records');
      const toasts = () => vsc.page.locator('.notification-toast').allTextContents().then((texts) => texts.join(' | '));
      const linksFile = join(workspace, 'screening', 'fulltext.json');
      await waitFor(
        async () => (existsSync(linksFile) ? '' : `no fulltext.json; notifications: ${await toasts()}`),
        (problem) => problem === '',
        'screening/fulltext.json written',
        90_000,
      );
      // The summary notification ("Matched 3 PDF(s). …") may go straight to the notification centre here.
      t.diagnostic(`notifications: ${await toasts()}`);
      const links = JSON.parse(readFileSync(linksFile, 'utf8')) as { links: { record: string; file: string; method: string }[] };
      if (links.links.length !== 3) {
        await vsc.runCommand('Screening: Show PDFs No Record Has');
        await vsc.page.waitForTimeout(1_500);
        t.diagnostic(`unmatched: ${JSON.stringify(await quickPickRows(vsc))}`);
        await vsc.page.keyboard.press('Escape');
      }
      assert.deepEqual(
        links.links.map((link) => [link.record, link.file, link.method]),
        [
          [ID.db003, 'fulltext/download (1).pdf', 'pdf-doi'],
          [ID.db000, 'fulltext/10.1186_s12888-025-06572-2.pdf', 'file-name'],
          [ID.web004, 'fulltext/ref_a15954c4c335.pdf', 'file-name'],
        ],
      );
      await vsc.screenshot('match-pdfs-notification');

      // The Full text stage lists the included records with their retrieval state.
      await expandRow(vsc, 'Full text');
      await expandRow(vsc, /^Unscreened \(4\)$/);
      const row000 = vsc.view('Records').locator('.monaco-list-row', { hasText: TITLES.db000 }).last();
      await waitFor(() => row000.locator('.label-description').textContent().catch(() => ''), (text) => /^PDF\b/.test(text ?? ''), 'the 000 row says PDF');
      const row001 = vsc.view('Records').locator('.monaco-list-row', { hasText: TITLES.cord001 }).last();
      await waitFor(() => row001.locator('.label-description').textContent().catch(() => ''), (text) => /^No PDF\b/.test(text ?? ''), 'the 001 row says No PDF');
      await vsc.screenshot('fulltext-stage-retrieval-states');

      // The PDF in the reader: pdf.js renders page 1 with a text layer; the include-terms are marked in it.
      await row000.click();
      await waitForReader(frame, ID.db000);
      await frame.waitForFunction(() => document.body.dataset.stage === 'full-text' && document.body.dataset.pdfState === 'open', undefined, { timeout: 60_000 });
      await frame.locator('.pdf-page[data-page="1"][data-rendered="true"] canvas').waitFor({ state: 'attached', timeout: 60_000 });
      const marks = await frame.locator('.pdf-page[data-page="1"] .textLayer mark.term-include').allTextContents();
      assert.ok(marks.some((text) => /serious mental illness/i.test(text)), `include-terms highlighted in the PDF: ${marks.join(' | ')}`);
      assert.equal(await frame.locator('body').getAttribute('data-pdf-pages'), '4');
      assert.match((await frame.locator('#report-state').textContent()) ?? '', /Matched by file name/);
      t.diagnostic(`first page drawn ${await frame.locator('body').getAttribute('data-pdf-first-page-ms')} ms after the viewer opened the PDF`);
      await vsc.screenshot('reader-pdf-highlighted-terms');

      // Find, zoom.
      await focusReader(frame);
      await vsc.page.keyboard.press('f');
      await frame.locator('#pdf-find').fill('barriers');
      await frame.locator('#pdf-find').press('Enter');
      await frame.locator('#pdf-status', { hasText: 'Found on page 1' }).waitFor({ state: 'visible' });
      await frame.locator('.textLayer mark.find-hit').first().waitFor({ state: 'attached' });
      await frame.locator('#pdf-find').press('Escape');
      const zoomBefore = await frame.locator('#pdf-zoom').textContent();
      await frame.locator('button[data-pdf="zoom-in"]').click();
      await waitFor(() => frame.locator('#pdf-zoom').textContent(), (text) => text !== zoomBefore, 'the zoom changed');
      await frame.locator('.pdf-page[data-page="1"][data-rendered="true"]').waitFor({ state: 'attached', timeout: 30_000 });

      // A quote: select a line of the PDF's text layer and press q; it is kept for the decision.
      const quoted = await frame.evaluate(() => {
        const span = Array.from(document.querySelectorAll<HTMLElement>('.pdf-page[data-page="1"] .textLayer span')).find((candidate) => /Integrated care models/.test(candidate.textContent ?? ''));
        if (!span) return '';
        const range = document.createRange();
        range.selectNodeContents(span);
        const selection = window.getSelection()!;
        selection.removeAllRanges();
        selection.addRange(range);
        return selection.toString();
      });
      assert.ok(quoted.length > 10, `selected text: ${quoted}`);
      await vsc.page.keyboard.press('q');
      await frame.locator('#status', { hasText: 'Quote from page 1 kept' }).waitFor({ state: 'visible' });
      await vsc.screenshot('reader-quote-kept');

      // e: exclude with a reason (required at full text); the quote goes with the decision.
      await vsc.page.keyboard.press('e');
      await pickQuickItem(vsc, 'Wrong comparator');
      const excluded = await waitFor(
        () => readDecisions(workspace, REVIEWER).find((d) => d.record === ID.db000 && d.stage === 'full-text'),
        (d) => d?.verdict === 'exclude',
        'the full-text exclusion on disk',
      );
      assert.equal(excluded.value?.reason, 'Wrong comparator');
      assert.match(excluded.value?.note ?? '', /^p\. 1: “.*Integrated care models.*”$/);

      // 001 has no PDF: the reader says so; r marks it not retrieved.
      // The reason picker closes first (a Quick Pick still fading out would take the palette's keys).
      await vsc.page.locator('.quick-input-widget:not([inert])').waitFor({ state: 'hidden', timeout: 30_000 }).catch(() => undefined);
      // The palette's key goes to the workbench, not the reader's frame: focus the side bar's title first.
      await vsc.page.locator('.part.sidebar .title-label').first().click();
      await vsc.runCommand('Screening: Next Record without a PDF');
      await waitForReader(frame, ID.cord001);
      await frame.locator('#report-state', { hasText: 'No PDF yet' }).waitFor({ state: 'visible' });
      await vsc.screenshot('reader-no-pdf');
      await focusReader(frame);
      await vsc.page.keyboard.press('r');
      await waitFor(() => readDecisions(workspace, REVIEWER).find((d) => d.record === ID.cord001 && d.stage === 'full-text')?.verdict, (v) => v === 'not-retrieved', 'not retrieved on disk');

      // 004's PDF is damaged: a clear message, and the keys still decide.
      // A click on a row the tree is re-rendering (after the decision just made) can be lost: click again.
      const openFullText = async (title: string, id: string) => {
        for (let attempt = 1; ; attempt++) {
          await vsc.view('Records').locator('.monaco-list-row', { hasText: title }).last().click();
          try {
            await waitForReader(frame, id, 10_000);
            return;
          } catch (error) {
            if (attempt === 3) throw error;
          }
        }
      };
      await openFullText(TITLES.web004, ID.web004);
      await frame.waitForFunction(() => document.body.dataset.pdfState === 'error', undefined, { timeout: 60_000 });
      assert.match((await frame.locator('#pdf-status').textContent()) ?? '', /cannot be read/);
      await vsc.screenshot('reader-damaged-pdf');
      await focusReader(frame);
      await vsc.page.keyboard.press('i');
      await waitFor(() => readDecisions(workspace, REVIEWER).find((d) => d.record === ID.web004 && d.stage === 'full-text')?.verdict, (v) => v === 'include', '004 included at full text');

      // 003 (PDF by its printed DOI): include.
      await openFullText(TITLES.db003, ID.db003);
      await frame.waitForFunction(() => document.body.dataset.pdfState === 'open', undefined, { timeout: 60_000 });
      await focusReader(frame);
      await vsc.page.keyboard.press('i');
      await waitFor(() => readDecisions(workspace, REVIEWER).find((d) => d.record === ID.db003 && d.stage === 'full-text')?.verdict, (v) => v === 'include', '003 included at full text');

      // PRISMA: reports sought / not retrieved / assessed from this state.
      await vsc.page.locator('.part.sidebar .title-label').first().click();
      await vsc.runCommand('Screening: Show PRISMA Flow');
      const prisma = await vsc.webview('Reports sought for retrieval', 60_000);
      await waitFor(() => boxText(prisma, 'dbr_sought_reports').catch(() => ''), (text) => text.includes('(n = 3)'), 'dbr sought 3');
      assert.match(await boxText(prisma, 'dbr_notretrieved_reports'), /\(n = 1\)/);
      assert.match(await boxText(prisma, 'dbr_assessed'), /\(n = 2\)/);
      assert.match(await boxText(prisma, 'dbr_excluded'), /Wrong comparator \(n = 1\)/);
      assert.match(await boxText(prisma, 'other_sought_reports'), /\(n = 1\)/);
      assert.match(await boxText(prisma, 'other_assessed'), /\(n = 1\)/);
      await vsc.screenshot('prisma-fulltext-boxes');
    },
  );
});
