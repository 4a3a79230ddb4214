/**
 * Checks the harness's own helpers on VS Code's built-in features, so later flows can rely on them:
 * opening a file by Quick Open, running a palette command, and reading a webview's content frame
 * (the Markdown preview is a webview like the record reader and the PRISMA diagram will be).
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { withVsCode } from './harness';

test('harness: palette commands and webview frames (Markdown preview)', { timeout: 240_000 }, async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'sr-e2e-harness-'));
  writeFileSync(join(workspace, 'notes.md'), '# Screening notes\n\nInclusion criteria: adults with serious mental illness.\n');
  try {
    await withVsCode('harness', { workspace }, async (vsc) => {
      await vsc.quickOpen('notes.md');
      await vsc.page.locator('.tabs-container .tab', { hasText: 'notes.md' }).waitFor({ state: 'visible' });
      await vsc.page.locator('.part.statusbar .statusbar-item', { hasText: 'Markdown' }).waitFor({ state: 'visible' });
      await vsc.runCommand('Markdown: Open Preview to the Side');
      const preview = await vsc.webview('Inclusion criteria');
      assert.equal((await preview.locator('h1').innerText()).trim(), 'Screening notes');
      assert.equal(vsc.webviewFrames().length, 1);
      await vsc.screenshot('markdown-preview-webview');
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
});
