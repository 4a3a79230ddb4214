/**
 * Runs the integration suite with @vscode/test-electron's `runTests`, on a copy of seeds/.
 *
 * - default: `runTests` is given code-server-shim.js as "the VS Code executable", so nothing is
 *   downloaded and the suite runs in code-server's Node extension host (this machine and CI);
 * - SR_INTEGRATION_VSCODE=download: `runTests` downloads a desktop VS Code (a developer's laptop,
 *   a public CI) and runs the same suite in it.
 */
import { runTests } from '@vscode/test-electron';
import { cpSync, chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/tools';

function copySeeds(): string {
  const workspace = join(mkdtempSync(join(tmpdir(), 'sr-integration-ws-')), 'seeds');
  cpSync(join(repoRoot, 'seeds'), workspace, { recursive: true });
  for (const name of readdirSync(workspace)) chmodSync(join(workspace, name), statSync(join(workspace, name)).isDirectory() ? 0o755 : 0o644);
  return workspace;
}

async function main(): Promise<number> {
  const download = process.env.SR_INTEGRATION_VSCODE === 'download';
  const workspace = copySeeds();
  try {
    await runTests({
      vscodeExecutablePath: download ? undefined : join(__dirname, 'code-server-shim.js'),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: join(__dirname, 'index.js'),
      launchArgs: [workspace, '--disable-extensions'],
    });
    return 0;
  } catch (error) {
    console.error(`integration: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    rmSync(join(workspace, '..'), { recursive: true, force: true });
  }
}

void main().then((code) => process.exit(code));
