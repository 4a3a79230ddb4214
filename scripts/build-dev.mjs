// Bundles the TypeScript test suites and dev scripts into out/ (node, cjs): the e2e tests
// (test/e2e/*.test.ts), the integration suite, its runner and code-server shim (test/integration/),
// and `npm start` (scripts/start.ts). Packages stay external (resolved from node_modules at run time).
// Type checking is `npm run typecheck`.
import * as esbuild from 'esbuild';
import { chmodSync, existsSync, readdirSync, rmSync } from 'node:fs';

const entries = {};
const add = (folder, filter) => {
  if (!existsSync(folder)) return;
  for (const file of readdirSync(folder)) {
    if (file.endsWith('.ts') && !file.endsWith('.d.ts') && filter(file)) entries[`${folder}/${file.slice(0, -3)}`] = `${folder}/${file}`;
  }
};
add('test/e2e', (file) => file.endsWith('.test.ts'));
add('test/integration', () => true);
entries['scripts/start'] = 'scripts/start.ts';

rmSync('out', { recursive: true, force: true });
await esbuild.build({
  entryPoints: entries,
  outdir: 'out',
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
// The shim is what @vscode/test-electron's runTests spawns as "the VS Code executable".
chmodSync('out/test/integration/code-server-shim.js', 0o755);
