/**
 * The packaged extension ships only what runs (`vsce ls`), stays small, and `vsce package` gave no
 * warnings (scripts/package.mjs fails on any; `npm run test:e2e` packages with it before these tests).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { packagedExtension, repoRoot } from './harness';

const ALLOWED = [
  /^package\.json$/,
  /^package\.nls(\.[\w-]+)?\.json$/,
  /^README\.md$/,
  /^CHANGELOG\.md$/,
  /^LICENSE$/,
  /^dist\/(extension|cli)\.js$/,
  /^dist\/workers\/[\w./-]+\.js$/,
  /^dist\/webview\/[\w./-]+\.(js|css|ttf|svg|png)$/,
  // pdf.js's character maps and standard fonts, which the PDF viewer loads as local resources.
  /^dist\/webview\/pdfjs\/cmaps\/([\w.-]+\.bcmap|LICENSE)$/,
  /^dist\/webview\/pdfjs\/standard_fonts\/([\w.-]+\.(pfb|ttf)|LICENSE_[A-Z]+)$/,
  /^schemas\/[\w.-]+\.json$/,
  /^media\/[\w.-]+\.(png|svg|css)$/,
  // The sample review that "Screening: Open the Sample Review…" copies.
  /^seeds\/[\w.-]+\.txt$/,
];
// pdf.js (its worker, character maps and standard fonts: about 3 MB) is most of it.
const MAX_VSIX_BYTES = 6 * 1024 * 1024;

test('vsce ls lists only what runs; the .vsix is small', () => {
  const vsce = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const unexpected = files.filter((file) => !ALLOWED.some((pattern) => pattern.test(file)));
  assert.deepEqual(unexpected, [], `files that should not ship: ${unexpected.join(', ')}`);
  for (const needed of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist/extension.js', 'media/icon.png', 'media/screening.svg']) {
    assert.ok(files.includes(needed), `${needed} ships (vsce ls: ${files.join(', ')})`);
  }
  const size = statSync(packagedExtension()).size;
  assert.ok(size < MAX_VSIX_BYTES, `the .vsix is ${size} bytes (limit ${MAX_VSIX_BYTES})`);
});
