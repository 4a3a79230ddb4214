// Bundles the extension host code, the CLI, the benchmarks and the webview scripts.
// `node esbuild.mjs [--production] [--watch]`. Type checking is separate (`npm run typecheck`).
import * as esbuild from 'esbuild';
import { readdirSync, existsSync, cpSync, mkdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the format of VS Code's `$esbuild-watch` problem matcher. */
const problemMatcherLog = {
  name: 'problem-matcher-log',
  setup(build) {
    build.onStart(() => { if (watch) console.log('[watch] build started'); });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [problemMatcherLog],
};

const nodeEntries = { extension: 'src/extension.ts', cli: 'src/cli.ts' };
for (const file of existsSync('bench') ? readdirSync('bench') : []) {
  if (file.endsWith('.ts')) nodeEntries[`bench/${file.slice(0, -3)}`] = `bench/${file}`;
}
for (const file of existsSync('src/workers') ? readdirSync('src/workers') : []) {
  if (file.endsWith('.ts')) nodeEntries[`workers/${file.slice(0, -3)}`] = `src/workers/${file}`;
}

const webviewEntries = {};
for (const file of existsSync('src/webview') ? readdirSync('src/webview') : []) {
  if (file.endsWith('.ts') && file !== 'protocol.ts') webviewEntries[`webview/${file.slice(0, -3)}`] = `src/webview/${file}`;
}

const builds = [
  { ...common, entryPoints: nodeEntries, outdir: 'dist', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
];
if (Object.keys(webviewEntries).length > 0) {
  builds.push({ ...common, entryPoints: webviewEntries, outdir: 'dist', platform: 'browser', format: 'iife', target: 'es2022' });
}

// pdf.js's worker, character maps and standard fonts for the reader's PDF viewer: local resources of the webview.
mkdirSync('dist/webview/pdfjs', { recursive: true });
cpSync('node_modules/pdfjs-dist/build/pdf.worker.min.mjs', 'dist/webview/pdfjs/pdf.worker.js');
cpSync('node_modules/pdfjs-dist/cmaps', 'dist/webview/pdfjs/cmaps', { recursive: true });
cpSync('node_modules/pdfjs-dist/standard_fonts', 'dist/webview/pdfjs/standard_fonts', { recursive: true });

const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
}
