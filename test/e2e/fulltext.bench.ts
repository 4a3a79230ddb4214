/**
 * The PDF viewer on a long PDF in the real VS Code of the e2e suite (`npm run bench:fulltext`, after
 * the matching figures): a 500-page, ~50 MB PDF (text and a distinct incompressible image on every
 * page, made with @cantoo/pdf-lib) as the full text of a record included at title/abstract.
 *
 *  - first page: from the click on the record's row at the Full text stage to page 1 drawn (canvas
 *    and text layer) in the reader, and within that, from the viewer opening the PDF to page 1 drawn;
 *  - memory: the resident memory of this browser's processes (all of Chromium's processes started by
 *    this run, sampled every 200 ms) before the PDF opens and at its peak while jumping through all 500
 *    pages, and the most pages holding a canvas at once (the viewer keeps only those near the view).
 *
 * Goals (issue 14): first page ≤ 1 s, memory bounded. Options: SR_VSIX, SR_BENCH_PAGES (500).
 */
import { execFileSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { crc32 } from '../../src/screening/png';
import { copyFixture, startVsCode, withSession } from './harness';
import { expandRow, focusReader, reader, treeRow, waitFor, waitForReader } from './workbench-helpers';

const PAGES = Number(process.env.SR_BENCH_PAGES ?? 500);
const RECORD = 'doi:10.1186/s12888-025-06572-2';
const TITLE = 'Strengthening the delivery of integrated care for individuals experiencing serious mental illness';

/** An RGB PNG of noise (deflate cannot shrink it): what scanned figures cost in a real PDF. */
function noisePng(size: number, seed: number): Uint8Array {
  const raw = Buffer.alloc((size * 3 + 1) * size);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < raw.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    raw[i] = i % (size * 3 + 1) === 0 ? 0 : state & 0xff;
  }
  const chunk = (type: string, data: Uint8Array) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 1 })), chunk('IEND', Buffer.alloc(0))]);
}

async function longPdf(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let number = 1; number <= pages; number++) {
    const page = doc.addPage([595, 842]);
    if (number === 1) page.drawText(TITLE.slice(0, 60), { x: 56, y: 790, size: 14, font });
    for (let line = 0; line < 30; line++) page.drawText(`Page ${number}, line ${line + 1}: integrated care for people with serious mental illness, outcomes and services.`, { x: 56, y: 760 - line * 14, size: 9, font });
    const image = await doc.embedPng(noisePng(180, number * 2654435761));
    page.drawImage(image, { x: 56, y: 60, width: 300, height: 300 });
  }
  return doc.save();
}

/** Resident memory (MB) of the Chromium processes of this run: the browser started with this profile and its descendants. */
function browserRss(profile: string): number {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const rows = table
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), rss: Number(match[3]), args: match[4] }));
  const roots = rows.filter((row) => row.args.includes(profile) && !rows.some((other) => other.pid === row.ppid && other.args.includes(profile)));
  const members = new Set(roots.map((row) => row.pid));
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows) if (!members.has(row.pid) && members.has(row.ppid)) grew = members.add(row.pid) !== undefined;
  }
  return rows.filter((row) => members.has(row.pid)).reduce((sum, row) => sum + row.rss, 0) / 1024;
}

async function main(): Promise<void> {
  const workspace = copyFixture('seeds');
  mkdirSync(join(workspace, 'screening', 'decisions'), { recursive: true });
  const reviewer = 'bench@example.org';
  writeFileSync(
    join(workspace, 'screening', 'decisions', `${reviewer}.json`),
    `{"format":"sr-screening-decisions","version":1,"reviewer":"${reviewer}","decisions":[\n${JSON.stringify({ record: RECORD, stage: 'title-abstract', verdict: 'include', reason: null, note: null, time: '2026-02-03T10:00:00.000Z' })}\n]}\n`,
  );
  mkdirSync(join(workspace, 'fulltext'), { recursive: true });
  const made = performance.now();
  const bytes = await longPdf(PAGES);
  const pdfFile = join(workspace, 'fulltext', '10.1186_s12888-025-06572-2.pdf');
  writeFileSync(pdfFile, bytes);
  console.log(`bench:fulltext viewer — a ${PAGES}-page PDF of ${(bytes.length / 1e6).toFixed(1)} MB (made in ${((performance.now() - made) / 1000).toFixed(1)} s)`);

  const vsc = await startVsCode('fulltext-bench', { workspace, viewport: { width: 1500, height: 1000 }, settings: { 'screening.reviewer': reviewer, 'screening.unscreenedOrder': 'original' } });
  const profile = join(vsc.runDir, 'chromium');
  await withSession(vsc, async () => {
    await vsc.openViewContainer('Screening');
    await treeRow(vsc, 'Title/abstract').waitFor({ state: 'visible', timeout: 120_000 });
    await vsc.runCommand('Screening: Match PDFs to Records');
    await waitFor(() => (readdirSync(join(workspace, 'screening')).includes('fulltext.json') ? readFileSync(join(workspace, 'screening', 'fulltext.json'), 'utf8') : ''), (text) => text.includes(RECORD), 'the PDF matched', 120_000);
    await expandRow(vsc, 'Full text');
    await expandRow(vsc, /^Unscreened \(1\)$/);
    const row = vsc.view('Records').locator('.monaco-list-row', { hasText: TITLE }).last();
    // The reader open (at title/abstract) before measuring, so its webview's own start is not counted.
    await treeRow(vsc, 'Included (1)').click().catch(() => undefined);
    await vsc.runCommand('Screening: Next Unscreened Record').catch(() => undefined);
    const frame = await reader(vsc, 120_000);
    await vsc.page.waitForTimeout(2_000);
    const before = browserRss(profile);
    let peak = before;
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, browserRss(profile));
      } catch {
        // ps failed once: the next sample counts
      }
    }, 200);
    const clicked = performance.now();
    await row.click();
    await waitForReader(frame, RECORD, 60_000);
    await frame.locator('.pdf-page[data-page="1"][data-rendered="true"] .textLayer span').first().waitFor({ state: 'attached', timeout: 120_000 });
    const firstPage = performance.now() - clicked;
    const inViewer = Number(await frame.locator('body').getAttribute('data-pdf-first-page-ms'));
    const opened = browserRss(profile);
    await vsc.screenshot('long-pdf-first-page');
    let mostRendered = 0;
    await focusReader(frame);
    const jumped = performance.now();
    for (let page = 10; page <= PAGES; page += 10) {
      await frame.locator('#pdf-page').fill(String(page));
      await frame.locator('#pdf-page').dispatchEvent('change');
      await frame.locator(`.pdf-page[data-page="${page}"][data-rendered="true"]`).waitFor({ state: 'attached', timeout: 60_000 });
      mostRendered = Math.max(mostRendered, await frame.locator('.pdf-page[data-rendered="true"]').count());
    }
    const perJump = (performance.now() - jumped) / Math.floor(PAGES / 10);
    await vsc.screenshot('long-pdf-last-page');
    clearInterval(sampler);
    const after = browserRss(profile);
    console.log(`  first page: ${Math.round(firstPage)} ms from the click on the record (goal ≤ 1000 ms); ${Math.round(inViewer)} ms from the viewer opening the PDF`);
    console.log(`  browser memory (RSS, this run's Chromium processes): ${Math.round(before)} MB before, ${Math.round(opened)} MB with page 1 shown, peak ${Math.round(peak)} MB while jumping through all ${PAGES} pages (+${Math.round(peak - before)} MB), ${Math.round(after)} MB at the end`);
    console.log(`  pages holding a canvas at once: at most ${mostRendered} of ${PAGES}; a jump of 10 pages to the page drawn: ${Math.round(perJump)} ms on average`);
    mkdirSync(vsc.artifacts, { recursive: true });
    writeFileSync(join(vsc.artifacts, 'results.json'), `${JSON.stringify({ pages: PAGES, bytes: bytes.length, firstPageMs: firstPage, inViewerMs: inViewer, rssBeforeMb: before, rssOpenedMb: opened, rssPeakMb: peak, rssAfterMb: after, mostRendered, perJumpMs: perJump }, null, 2)}\n`);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
