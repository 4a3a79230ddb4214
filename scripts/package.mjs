// Packages the extension into a .vsix with `vsce package` (its vscode:prepublish script makes the
// production bundle) and fails when vsce prints any warning.
// `node scripts/package.mjs [--out <file.vsix>]`; prints the path and size of the .vsix last.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outIndex = process.argv.indexOf('--out');
const out = resolve(outIndex > 0 ? process.argv[outIndex + 1] : join(root, `${manifest.name}-${manifest.version}.vsix`));
mkdirSync(dirname(out), { recursive: true });

const vsce = join(dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');
// No stdin: a question from vsce (it asks about some problems) fails instead of waiting.
const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'pipe'],
  encoding: 'utf8',
  env: { ...process.env, FORCE_COLOR: '0' },
});
process.stdout.write(result.stdout ?? '');
process.stderr.write(result.stderr ?? '');
const output = `${result.stdout}\n${result.stderr}`;
if (result.status !== 0) {
  console.error(`package: vsce package failed (exit ${result.status ?? result.signal})`);
  process.exit(1);
}
const warnings = output.split('\n').filter((line) => /\bWARNING\b/i.test(line));
if (warnings.length > 0) {
  console.error(`package: vsce printed ${warnings.length} warning(s); fix them:\n${warnings.join('\n')}`);
  process.exit(1);
}
console.log(`package: ${out} (${(statSync(out).size / 1024).toFixed(1)} KiB)`);
