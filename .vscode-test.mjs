// Configuration for @vscode/test-cli (`npx vscode-test`) on machines that can download VS Code.
// It runs the same integration suite as `npm run test:integration` (build it first with
// `npm run build && npm run build:dev`); on this project's machines, which cannot download VS Code,
// `npm run test:integration` runs it inside code-server instead (see README, Testing).
import { mkdtempSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const workspaceFolder = join(mkdtempSync(join(tmpdir(), 'sr-vscode-test-')), 'seeds');
cpSync('seeds', workspaceFolder, { recursive: true });

export default {
  files: 'out/test/integration/*.test.js',
  workspaceFolder,
  extensionDevelopmentPath: '.',
  launchArgs: ['--disable-extensions'],
  mocha: { ui: 'tdd', timeout: 60_000, color: true },
};
