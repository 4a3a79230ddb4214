/**
 * Relevance ranking in a real VS Code (issue 8): a labelled dataset (Cohen et al. 2006,
 * Antihistamines: 310 records, read from ../shared/corpus/labeled at test time) opened as a review.
 * Before the reviewer has an include and an exclude the Unscreened group keeps the original order
 * and says why; the reviewer then screens in the reader with one key per record, following each
 * record's label (exclude the first, include the second, then whatever the reader offers next);
 * after that the Unscreened group is ordered by relevance: its first rows are the order an
 * independent ranking of the same decisions produces, mostly records labelled included; the reader
 * shows the record's rank, a plain-language label and the stopping aid; the view's title button
 * switches to the original order and back.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Papa from 'papaparse';
import { InThreadRankingService, labelsFromDecisions } from '../../src/screening/ranking';
import { displayTitle } from '../../src/screening/record-display';
import { Review } from '../../src/screening/review';
import { repoRoot, withVsCode, type VsCode } from './harness';
import { focusReader, pickQuickItem, readDecisions, reader, readerRecord, treeRow, waitFor, waitForReader } from './workbench-helpers';

const REVIEWER = 'ann@example.org';
/** ../shared/corpus beside the repository, or SR_CORPUS_DIR (a git worktree elsewhere). */
const DATASET = join(process.env.SR_CORPUS_DIR ?? join(repoRoot, '..', 'shared', 'corpus'), 'labeled', 'srd_Cohen_2006_online__Antihistamines.csv');
/** Decisions made in the reader (the first two in original order: an exclude, then an include). */
const DECISIONS = 8;
const TOP = 10;

interface Row {
  pubmedID: string;
  title: string;
  label_included: string;
  label_abstract_screening: string;
}

/** label_included (and label_abstract_screening) per record id (the importer names CSV records pmid:<PubMed id>). */
function readLabels(): Map<string, { included: boolean; abstract: boolean; title: string }> {
  const parsed = Papa.parse<Row>(readFileSync(DATASET, 'utf8'), { header: true, skipEmptyLines: true });
  return new Map(parsed.data.map((row) => [`pmid:${row.pubmedID}`, { included: row.label_included === '1', abstract: row.label_abstract_screening === '1', title: row.title }]));
}

/** The Records view's rows in display order (the list reuses its DOM rows: sort by index). */
async function treeRows(vsc: VsCode): Promise<{ index: number; level: number; label: string; description: string }[]> {
  const rows = await vsc
    .view('Records')
    .locator('.monaco-list-row')
    .evaluateAll((elements) =>
      elements.map((row) => ({
        index: Number(row.getAttribute('data-index')),
        level: Number(row.getAttribute('aria-level')),
        label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
        description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
      })),
    );
  return rows.sort((a, b) => a.index - b.index);
}

/** The first rows under Title/abstract → Unscreened (title and description), top to bottom. */
async function unscreenedRows(vsc: VsCode, count: number): Promise<{ label: string; description: string }[]> {
  const rows = await treeRows(vsc);
  const group = rows.findIndex((row) => /^Unscreened \(\d+\)$/.test(row.label));
  if (group < 0) return [];
  const out: { label: string; description: string }[] = [];
  for (let i = group + 1; i < rows.length && out.length < count; i++) {
    if (rows[i].index !== rows[group].index + out.length + 1 || rows[i].level !== rows[group].level + 1) break;
    out.push({ label: rows[i].label, description: rows[i].description });
  }
  return out;
}

/** Titles of the first rows under Title/abstract → Unscreened, top to bottom. */
async function unscreenedTitles(vsc: VsCode, count: number): Promise<string[]> {
  return (await unscreenedRows(vsc, count)).map((row) => row.label);
}

/** Scrolls the Records view by `deltaY` pixels (the list renders only the rows in view). */
async function scrollRecords(vsc: VsCode, deltaY: number): Promise<void> {
  await vsc.view('Records').locator('.monaco-list').first().hover();
  await vsc.page.mouse.wheel(0, deltaY);
}

/** The last `count` rows of Title/abstract → Unscreened (`size` rows), scrolled into view. */
async function unscreenedTail(vsc: VsCode, count: number, size: number): Promise<{ label: string; description: string }[]> {
  const group = (await treeRows(vsc)).find((row) => /^Unscreened \(\d+\)$/.test(row.label));
  assert.ok(group, 'the Unscreened group is in view before scrolling');
  const wanted = Array.from({ length: count }, (_, k) => group.index + size - count + 1 + k);
  const { value } = await waitFor(
    async () => {
      const rows = await treeRows(vsc);
      const found = wanted.map((index) => rows.find((row) => row.index === index));
      if (found.some((row) => !row)) await scrollRecords(vsc, 300);
      return found;
    },
    (found) => found.every((row) => row !== undefined && row.level === group.level + 1),
    `the last ${count} Unscreened rows`,
    30_000,
  );
  return value.map((row) => ({ label: row!.label, description: row!.description }));
}

async function unscreenedDescription(vsc: VsCode): Promise<string> {
  return (await treeRows(vsc)).find((row) => /^Unscreened \(\d+\)$/.test(row.label))?.description ?? '';
}

/** Clicks a title-bar action of the Records view, again while a re-rendering title bar swallows it. */
async function clickViewAction(vsc: VsCode, label: string, done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    await vsc.view('Records').hover();
    const action = vsc.sideBarAction(label);
    if (await action.isVisible().catch(() => false)) await action.click({ timeout: 5_000 }).catch(() => undefined);
    const ok = await waitFor(done, (value) => value, `after clicking "${label}"`, 5_000).then(
      () => true,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`clicking "${label}" had no effect`);
  }
}

test('relevance ranking: Unscreened ordered by the reviewer’s ranking, shown in the reader, toggled from the view', { timeout: 600_000 }, async (t) => {
  if (!existsSync(DATASET)) {
    t.skip(`the labelled dataset is not here: ${DATASET}`);
    return;
  }
  const labels = readLabels();
  const parent = mkdtempSync(join(tmpdir(), 'sr-e2e-ranking-'));
  const workspace = join(parent, 'antihistamines-review');
  mkdirSync(workspace);
  copyFileSync(DATASET, join(workspace, 'antihistamines.csv'));
  try {
    await withVsCode(
      'ranking',
      { workspace, viewport: { width: 1500, height: 1000 }, settings: { 'screening.reviewer': REVIEWER, 'workbench.colorTheme': 'Default Light Modern' } },
      async (vsc) => {
        await vsc.openViewContainer('Screening');
        await vsc.setSideBarWidth(620);
        await treeRow(vsc, /^Unscreened \(310\)$/).waitFor({ state: 'visible', timeout: 90_000 });
        // No decisions yet: original order, and the group says what the ranking needs.
        await waitFor(() => unscreenedDescription(vsc), (text) => /ranking needs 1 include \+ 1 exclude/.test(text), 'the untrained description', 90_000);
        const original = await unscreenedTitles(vsc, 3);
        assert.equal(original[0], displayTitle({ title: labels.get('pmid:10070306')!.title }), 'original order starts with the first row of the file');
        await vsc.screenshot('before-decisions-original-order');

        // Screen in the reader, one key per record, as each record's label says.
        await vsc.runCommand('Screening: Next Unscreened Record');
        const frame = await reader(vsc, 60_000);
        let includes = 0;
        let excludes = 0;
        for (let n = 0; n < DECISIONS; n++) {
          const { value: id } = await waitFor(() => readerRecord(frame), (value) => value !== undefined && labels.has(value) && !readDecisions(workspace, REVIEWER).some((d) => d.record === value), `the reader shows an undecided record (decision ${n + 1})`, 60_000);
          const label = labels.get(id!)!;
          // The first two records of the file are an exclude and an include (original order before any ranking).
          if (n === 0) assert.equal(label.included, false, 'the first record is labelled excluded');
          if (n === 1) assert.equal(label.included, true, 'the second record is labelled included');
          // A key pressed while a loaded window re-renders can be lost: press again while the record
          // is still on screen and undecided (never twice for one record).
          for (let attempt = 0; ; attempt++) {
            await focusReader(frame);
            await vsc.page.keyboard.press(label.included ? 'i' : 'e');
            if (!label.included) await pickQuickItem(vsc, /^Off topic$/).catch(() => undefined);
            const landed = await waitFor(() => readDecisions(workspace, REVIEWER).length, (count) => count === n + 1, `decision ${n + 1} on disk`, 15_000).then(
              () => true,
              () => false,
            );
            if (landed) break;
            if (attempt === 3 || (await readerRecord(frame)) !== id) throw new Error(`decision ${n + 1} on ${id} never reached the decisions file`);
          }
          if (label.included) includes++;
          else excludes++;
          await waitFor(() => readerRecord(frame), (value) => value !== id, `the reader moves on after decision ${n + 1}`, 30_000);
          t.diagnostic(`decision ${n + 1}: ${label.included ? 'include' : 'exclude'} ${id} (label_included ${label.included ? 1 : 0}, abstract screening ${label.abstract ? 1 : 0})`);
          if (n === 1) await vsc.screenshot('first-include-and-exclude');
        }

        // The ranking retrained on all of them (the reader's relevance line names the counts).
        const counts = new RegExp(`your own ${includes === 1 ? '1 include' : `${includes} includes`} and ${excludes === 1 ? '1 exclude' : `${excludes} excludes`}`);
        await waitFor(() => frame.locator('#relevance').innerText().catch(() => ''), (text) => counts.test(text), 'the reader shows the relevance from every decision', 90_000);
        await waitFor(() => unscreenedDescription(vsc), (text) => text === 'by relevance', 'Unscreened by relevance', 60_000);
        await treeRow(vsc, new RegExp(`^Unscreened \\(${310 - DECISIONS}\\)$`)).waitFor({ state: 'visible', timeout: 30_000 });

        // The tree's first rows: the order an independent ranking of the same decisions gives.
        const review = await Review.load(workspace, { reviewer: REVIEWER, git: async () => ({ code: 1, stdout: '', stderr: '' }) });
        const service = new InThreadRankingService();
        await service.setRecords(review.records);
        const expected = await service.train(labelsFromDecisions(review.decisions(review.reviewerKey)));
        assert.ok(!expected.cancelled && expected.model === 'svm');
        const idByTitle = new Map(review.records.map((record) => [displayTitle(record), record.id]));
        review.dispose();
        await service.dispose();
        // Records with no text the model can read (here: rows of the file without a title or abstract)
        // are not ranked: after these few decisions, all of them still finding includes, they wait at the
        // end of the group (src/screening/ranking/placement.ts); the ranked records come first.
        const unscorable = expected.unscorable;
        assert.ok(unscorable > 0, 'the file has rows without a title or abstract');
        assert.equal(expected.unscorableAt, 'end', `after ${DECISIONS} decisions the unreadable records wait at the end`);
        const expectedTop = expected.ids.slice(0, TOP);
        const { value: shown } = await waitFor(() => unscreenedRows(vsc, TOP), (rows) => rows.length === TOP, `the first ${TOP} Unscreened rows`, 30_000);
        const shownTitles = shown.map((row) => row.label);
        assert.ok(!shownTitles.includes('(untitled record)'), 'no untitled row among the first ranked rows');
        const shownTop = shownTitles.map((title) => idByTitle.get(title) ?? `?${title}`);
        const overlap = shownTop.filter((id) => expectedTop.includes(id)).length;
        const labelledIncluded = shownTop.filter((id) => labels.get(id)?.included).length;
        const labelledAbstract = shownTop.filter((id) => labels.get(id)?.abstract).length;
        t.diagnostic(`tree top ${TOP}: ${shownTop.join(' ')}`);
        t.diagnostic(`ranking top ${TOP}: ${expectedTop.join(' ')}`);
        t.diagnostic(`overlap ${overlap}/${TOP}; label_included=1: ${labelledIncluded}/${TOP}; label_abstract_screening=1: ${labelledAbstract}/${TOP} (base rates: 16/310 and 92/310)`);
        assert.equal(shownTop[0], expectedTop[0], 'the first ranked Unscreened row is the ranking’s first record');
        assert.ok(overlap >= TOP - 2, `the first ${TOP} rows are the ranking's first ${TOP} (overlap ${overlap})`);
        // Above the base rates (16/310 included: 0.5 in 10; 92/310 included at abstract screening: 3 in 10).
        assert.ok(labelledAbstract >= 5, `most of the first ${TOP} rows were included at abstract screening (${labelledAbstract})`);
        assert.ok(labelledIncluded >= 1, `the first ${TOP} rows hold a final include (${labelledIncluded})`);

        // The first ranked row in the reader: its rank with a label, the stopping aid worded as an estimate.
        const first = treeRow(vsc, shownTitles[0]);
        await waitFor(
          async () => {
            await first.click({ timeout: 5_000 }).catch(() => undefined);
            return readerRecord(frame);
          },
          (value) => value === shownTop[0],
          'the reader shows the first ranked Unscreened row',
          60_000,
        );
        const rank = 1;
        await waitFor(() => frame.locator('#relevance').innerText().catch(() => ''), (text) => new RegExp(`Rank ${rank} of \\d+ · `).test(text), `rank ${rank} in the reader`, 30_000);
        const relevance = await frame.locator('#relevance').innerText();
        t.diagnostic(`reader: ${relevance.replace(/\s+/g, ' ')}`);
        assert.match(relevance, new RegExp(`Relevance: Rank ${rank} of ${310 - DECISIONS} · (Likely|Possibly) relevant`));
        assert.match(relevance, /not a judgement of this record/);
        assert.match(await frame.locator('#position').innerText(), new RegExp(`Unscreened by relevance · ${rank} of ${310 - DECISIONS}`));
        await frame.locator('#relevance details.stopping summary').click();
        const stopping = await frame.locator('#relevance .stopping-text').innerText();
        assert.match(stopping, /screened since the last include/);
        assert.match(stopping, /not a guarantee/);
        await vsc.screenshot('ranked-tree-and-reader-relevance');

        // One order (issue 18, cases 2 and 3): j and k walk the Unscreened rows as the tree lists them,
        // and the rank, the position line and the tree agree.
        const group = 310 - DECISIONS;
        await focusReader(frame);
        await vsc.page.keyboard.press('j');
        await waitForReader(frame, shownTop[1], 30_000);
        await waitFor(() => frame.locator('#position').innerText(), (text) => text.includes(`Unscreened by relevance · 2 of ${group}`), 'position 2 after j', 30_000);
        await waitFor(() => frame.locator('#relevance').innerText().catch(() => ''), (text) => text.includes(`Rank 2 of ${group}`), 'rank 2 after j', 30_000);
        await vsc.page.keyboard.press('k');
        await waitForReader(frame, shownTop[0], 30_000);
        // i on the first: the reader moves once, to the record it shows at once, and stays there while
        // the ranking retrains; its rank is its place in the new order, as the position line says.
        await frame.evaluate(() => {
          const seen: string[] = [];
          (window as unknown as { seenRecords: string[] }).seenRecords = seen;
          new MutationObserver(() => {
            const id = document.body.dataset.recordId ?? '';
            if (seen[seen.length - 1] !== id) seen.push(id);
          }).observe(document.body, { attributes: true, attributeFilter: ['data-record-id'] });
        });
        await vsc.page.keyboard.press('i');
        await waitFor(() => readDecisions(workspace, REVIEWER).length, (count) => count === DECISIONS + 1, 'the include on disk', 30_000);
        const retrained = new RegExp(`your own ${includes + 1} includes and`);
        await waitFor(() => frame.locator('#relevance').innerText().catch(() => ''), (text) => retrained.test(text), 'the ranking retrained after the include', 90_000);
        const seenRecords = await frame.evaluate(() => (window as unknown as { seenRecords: string[] }).seenRecords);
        // Where it ends is asserted; that it moves exactly once is not yet: on a loaded machine it was
        // seen to show another record first (issue 18, case 2, still open), so that is reported only.
        assert.equal(seenRecords.at(-1), shownTop[1], `the reader ends on the next record: ${seenRecords.join(' → ')}`);
        if (seenRecords.length !== 1) t.diagnostic(`the reader moved ${seenRecords.length} times after the include: ${seenRecords.join(' → ')}`);
        const { value: line } = await waitFor(() => frame.locator('#position').innerText(), (text) => new RegExp(`Unscreened by relevance · \\d+ of ${group - 1}`).test(text), 'the position in the new order', 30_000);
        const place = /· (\d+) of/.exec(line)![1];
        await waitFor(() => frame.locator('#relevance').innerText().catch(() => ''), (text) => text.includes(`Rank ${place} of ${group - 1}`), 'the rank equal to the position', 30_000);
        await vsc.screenshot('after-include-one-move-one-order');
        // Undo, so the rest of the test sees the ranking it expects.
        await focusReader(frame);
        await vsc.page.keyboard.press('u');
        await waitFor(() => readDecisions(workspace, REVIEWER).length, (count) => count === DECISIONS, 'the include undone', 30_000);
        await waitFor(() => frame.locator('#relevance').innerText().catch(() => ''), (text) => counts.test(text), 'the ranking back to the earlier decisions', 90_000);

        // The view's title button says which order is on and switches to the other.
        await clickViewAction(vsc, 'Unscreened Order: Relevance', async () => (await unscreenedDescription(vsc)) === 'original order');
        const { value: originalAgain } = await waitFor(() => unscreenedTitles(vsc, 3), (titles) => titles.length === 3 && titles[0] !== shownTitles[0], 'the original order again', 30_000);
        t.diagnostic(`original order: ${originalAgain.join(' | ')}`);
        assert.ok(await vsc.sideBarAction('Unscreened Order: Original').isVisible(), 'the button now says the original order is on');
        await vsc.screenshot('toggled-original-order');
        await clickViewAction(vsc, 'Unscreened Order: Original', async () => (await unscreenedDescription(vsc)) === 'by relevance');
        await waitFor(() => unscreenedTitles(vsc, 1), (titles) => titles[0] === shownTitles[0], 'relevance order again', 30_000);
        await vsc.screenshot('toggled-back-to-relevance');

        // The end of the group: the unreadable records, each untitled row named by its PubMed id.
        const groupSize = 310 - DECISIONS;
        const tail = await unscreenedTail(vsc, unscorable, groupSize);
        t.diagnostic(`${unscorable} unscorable record(s) last: ${tail.map((row) => `${row.label} ${row.description}`).join(' | ')}`);
        const tailIds = tail.map((row) => row.description.match(/PMID (\d+)/)?.[1]).map((pmid) => (pmid ? `pmid:${pmid}` : undefined));
        assert.deepEqual(tailIds, expected.ids.slice(groupSize - unscorable), 'the last rows are the unreadable records, each showing its PMID');
        assert.ok(tail.every((row) => row.label === '(untitled record)'), 'they are the untitled rows');
        const last = vsc.view('Records').locator('.monaco-list-row', { has: vsc.page.locator('.label-description', { hasText: new RegExp(`PMID ${tailIds[tailIds.length - 1]!.slice('pmid:'.length)}$`) }) }).first();
        await waitFor(
          async () => {
            await last.click({ timeout: 5_000 }).catch(() => undefined);
            return readerRecord(frame);
          },
          (value) => value === tailIds[tailIds.length - 1],
          'the reader shows the last unreadable record',
          60_000,
        );
        await waitFor(() => frame.locator('#relevance').innerText().catch(() => ''), (text) => /Cannot be ranked/.test(text), 'the reader says it cannot be ranked', 30_000);
        const unrankedText = await frame.locator('#relevance').innerText();
        t.diagnostic(`reader: ${unrankedText.replace(/\s+/g, ' ')}`);
        assert.match(unrankedText, /wait at the end of the list while your decisions keep finding includes/);
        await vsc.screenshot('unreadable-records-at-the-end');
      },
    );
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});
