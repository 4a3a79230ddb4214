/**
 * `npm start` without a desktop VS Code: its script builds and packages the extension, starts a
 * code-server on loopback, prints a URL, and that URL shows the extension's view on the sample review.
 * Ctrl+C (SIGINT) stops it and frees the port.
 * (The test runs the script that `npm start` runs after building it: `npm start` itself would rebuild
 * out/, where these tests run from.)
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort } from '../support/codeServer';
import { openWorkbench, repoRoot, withSession } from './harness';
import { SEED_TITLES, treeRow } from './workbench-helpers';

test('npm start prints a URL where VS Code shows the Screening view on the sample review; Ctrl+C stops it', { timeout: 420_000 }, async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'sr-e2e-start-'));
  const port = await freePort();
  const outputFile = join(scratch, 'npm-start.log');
  let output = '';
  const start = spawn(process.execPath, [join(repoRoot, 'out', 'scripts', 'start.js')], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      SR_START_NO_DESKTOP: '1',
      SR_START_PORT: String(port),
      SR_START_WORKSPACE: join(scratch, 'sample-review', 'seeds'),
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

    const vsc = await openWorkbench('npm-start', url);
    await withSession(
      vsc,
      async () => {
        await vsc.activityBarItem('Screening').waitFor({ state: 'visible' });
        await vsc.openViewContainer('Screening');
        await vsc.setSideBarWidth(520);
        for (const title of SEED_TITLES) await treeRow(vsc, title).waitFor({ state: 'visible', timeout: 60_000 });
        await vsc.waitForSideBarIdle();
        await vsc.screenshot('npm-start-sample-review');
      },
      () => [outputFile],
    );

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
    rmSync(scratch, { recursive: true, force: true });
  }
});

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
