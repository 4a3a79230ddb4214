// `npm run bench:workbench`: packages the extension (unless SR_VSIX names a .vsix), bundles
// test/e2e/workbench.bench.ts into out/bench/ and runs it: the screening workbench on 50,000 records
// in the real VS Code of the e2e suite. See that file for what is measured.
// `node scripts/bench-workbench.mjs NAME` runs test/e2e/NAME.bench.ts the same way (bench:fulltext: fulltext).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const name = process.argv[2] ?? 'workbench';
let vsix = process.env.SR_VSIX;
if (!vsix || !existsSync(vsix)) {
  vsix = join(root, 'test-results', 'e2e', `${name}-bench.vsix`);
  execFileSync(process.execPath, [join(root, 'scripts', 'package.mjs'), '--out', vsix], { cwd: root, stdio: 'inherit' });
}
execFileSync('bash', [join(root, 'scripts', 'provision-test-tools.sh')], { cwd: root, stdio: 'inherit' });
const outfile = join(root, 'out', 'bench', `${name}.bench.js`);
await esbuild.build({
  entryPoints: [join(root, 'test', 'e2e', `${name}.bench.ts`)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  external: ['vscode'],
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'warning',
});
const result = spawnSync(process.execPath, ['--enable-source-maps', outfile], { cwd: root, stdio: 'inherit', env: { ...process.env, SR_VSIX: vsix } });
process.exit(result.status ?? 1);
