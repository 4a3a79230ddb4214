/**
 * `npm start` without a desktop VS Code: its script builds and packages the extension, starts a
 * code-server on loopback, prints a URL, and that URL shows what a newcomer needs to start screening
 * without a click: the Records view with the seed titles and the first record in the reader (the
 * sample review's review.json and workspace settings). Ctrl+C (SIGINT) stops it and frees the port;
 * a second start keeps the decision made in the first.
 * (The test runs the script that `npm start` runs after building it: `npm start` itself would rebuild
 * out/, where these tests run from.)
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort } from '../support/codeServer';
import { openWorkbench, repoRoot, withSession, type VsCode } from './harness';
import { focusReader, reader, readerRecord, SEED_TITLES, treeRow, waitFor } from './workbench-helpers';

test('npm start opens the sample review ready to screen (Records view, first record in the reader); Ctrl+C stops it; a second start keeps the decisions', { timeout: 720_000 }, async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'sr-e2e-start-'));
  const workspace = join(scratch, 'sample-review', 'seeds');
  try {
    // First start: no click anywhere before the tree and the reader show the review.
    await runStart(scratch, workspace, 'npm-start', async (vsc) => {
      for (const title of SEED_TITLES) await treeRow(vsc, title).waitFor({ state: 'visible', timeout: 90_000 });
      const frame = await reader(vsc, 90_000);
      await frame.locator('#title', { hasText: SEED_TITLES[0] }).waitFor({ state: 'visible', timeout: 30_000 });
      const config = JSON.parse(readFileSync(join(workspace, 'screening', 'review.json'), 'utf8')) as { title: string; sources: { category: string }[] };
      assert.match(config.title, /^Sample review/);
      assert.deepEqual(config.sources.map((source) => source.category).sort(), ['database', 'database', 'database', 'organisation', 'organisation']);
      // The sample's include-terms are highlighted in the reader.
      await frame.locator('mark', { hasText: /serious mental illness/i }).first().waitFor({ state: 'visible' });
      await vsc.setSideBarWidth(520);
      await vsc.waitForSideBarIdle();
      await vsc.screenshot('npm-start-ready-to-screen');

      // A newcomer's first decision: `i` in the reader.
      const id = await readerRecord(frame);
      assert.ok(id, 'the reader names its record');
      await focusReader(frame);
      await frame.locator('body').press('i');
      await waitFor(() => decisionsOnDisk(workspace), (lines) => lines.includes(`${id} include`), 'the first decision on disk', 30_000);
      await treeRow(vsc, /^Included \(1\)/).waitFor({ state: 'visible', timeout: 30_000 });
      await vsc.screenshot('npm-start-first-decision');
    });

    // Second start on the same folder: the decision is still there.
    const before = decisionsOnDisk(workspace);
    await runStart(scratch, workspace, 'npm-start-again', async (vsc) => {
      await treeRow(vsc, /^Included \(1\)/).waitFor({ state: 'visible', timeout: 90_000 });
      await treeRow(vsc, /^Unscreened \(4\)/).waitFor({ state: 'visible' });
      // The reader is back too (restored where it was, or the first unscreened record).
      const frame = await reader(vsc, 90_000);
      await waitFor(() => readerRecord(frame), (id) => id !== undefined, 'the reader shows a record again', 60_000);
      await frame.locator('#title').filter({ hasText: /\w/ }).waitFor({ state: 'visible' });
      await vsc.waitForSideBarIdle();
      await vsc.screenshot('npm-start-kept-decisions');
    });
    assert.deepEqual(decisionsOnDisk(workspace), before, 'the decisions file is unchanged by a second start');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

/** Every decision of the sample review on disk, as "record verdict" lines (whoever the reviewer is). */
function decisionsOnDisk(workspace: string): string[] {
  const folder = join(workspace, 'screening', 'decisions');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .flatMap((name) => {
      try {
        return (JSON.parse(readFileSync(join(folder, name), 'utf8')) as { decisions: { record: string; verdict: string }[] }).decisions.map((d) => `${d.record} ${d.verdict}`);
      } catch {
        return []; // mid-write (writes are atomic, but the folder listing may race a rename)
      }
    });
}

/**
 * Runs the script that `npm start` runs, waits for its URL, runs `flow` in a browser on it, then
 * stops it with Ctrl+C and checks it exits 0 and frees its port.
 */
async function runStart(scratch: string, workspace: string, name: string, flow: (vsc: VsCode) => Promise<void>): Promise<void> {
  const port = await freePort();
  const outputFile = join(scratch, `${name}.log`);
  let output = '';
  const start = spawn(process.execPath, [join(repoRoot, 'out', 'scripts', 'start.js')], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      SR_START_NO_DESKTOP: '1',
      SR_START_PORT: String(port),
      SR_START_WORKSPACE: workspace,
      SR_START_PROFILE: join(scratch, 'profile'),
    },
  });
  const exited = new Promise<number | null>((resolve) => start.once('exit', (code) => resolve(code)));
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
    writeFileSync(outputFile, output);
  };
  start.stdout.on('data', collect);
  start.stderr.on('data', collect);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start printed no URL within 300 s:\n${output}`)), 300_000);
      const look = (): void => {
        const match = /https?:\/\/127\.0\.0\.1:\d+\/\?folder=\S+/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[0]);
        }
      };
      start.stdout.on('data', look);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited (${code}) before printing a URL:\n${output}`));
      });
    });
    assert.ok(url.startsWith(`http://127.0.0.1:${port}/`), `the URL uses the requested loopback port: ${url}`);
    assert.match(decodeURIComponent(url), /sample-review\/seeds/);

    const vsc = await openWorkbench(name, url);
    await withSession(vsc, () => flow(vsc), () => [outputFile]);

    // Ctrl+C: the script stops code-server and exits 0; the port is free again.
    process.kill(start.pid!, 'SIGINT');
    const code = await within(exited, 30_000);
    assert.equal(code, 0, `npm start exits 0 on Ctrl+C:\n${output}`);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), 'nothing listens on the port after Ctrl+C');
  } finally {
    // After a failure: Ctrl+C first, so the script stops its code-server, then end its group.
    if (start.exitCode === null && start.signalCode === null) {
      start.kill('SIGINT');
      await within(exited, 20_000);
    }
    try {
      process.kill(-start.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** `promise`'s value, or 'timeout' after `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
