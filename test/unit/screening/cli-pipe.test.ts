/** The CLI stops quietly when its reader closes the pipe early (`sr-screening import DIR | head`). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CORPUS_DIR } from '../helpers/corpus';
import { bundleCli } from './helpers/git';

const CORPUS = join(CORPUS_DIR, 'medline');

let work: string;
let cli: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'sr-cli-pipe-'));
  cli = await bundleCli(work);
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

it.skipIf(!existsSync(CORPUS))('exits quietly (status 0, nothing on stderr) when the pipe closes', () => {
  const script = `"${process.execPath}" "${cli}" import "${CORPUS}" --json 2>"${join(work, 'stderr.txt')}" | head -c 100 >/dev/null; echo "status=\${PIPESTATUS[0]}"; cat "${join(work, 'stderr.txt')}"`;
  const result = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
  expect(result.stdout.trim()).toBe('status=0');
}, 60_000);
