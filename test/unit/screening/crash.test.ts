/**
 * A child process records decisions in a loop and is killed with SIGKILL at random moments, 200
 * times. After each kill the decisions file must parse and hold every decision the child
 * acknowledged (it prints `ack` only once a write is durable).
 */
import { fileSafeReviewerId } from '../../../src/screening/reviewer';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readEntryFile } from '../../../src/screening/entry-file';

const KILLS = 200;
let work: string;
let child: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'sr-crash-'));
  child = join(work, 'crash-child.cjs');
  await build({
    entryPoints: [resolve(__dirname, 'helpers/crash-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: child,
    logLevel: 'error',
  });
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Known {
  acked?: { verdict: string; time: string };
  /** Verdicts begun after the last ack (may or may not have reached the disk). */
  inFlight: string[];
}

function runOnce(dir: string, iteration: number, known: Map<string, Known>): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const proc = spawn(process.execPath, [child, dir, String(iteration)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    let acks = 0;
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const kill = () => proc.kill('SIGKILL');
    // One run in ten is killed during start-up, the others while recording.
    if (iteration % 10 === 0) timer = setTimeout(kill, Math.random() * 120);
    proc.stderr.on('data', (data) => (stderr += String(data)));
    proc.stdout.on('data', (data) => {
      buffer += String(data);
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        const [kind, record, verdict, time] = line.split(' ');
        if (kind === 'ready' && timer === undefined) timer = setTimeout(kill, Math.random() * 60);
        if (kind === 'begin') {
          const entry = known.get(record) ?? { inFlight: [] };
          entry.inFlight.push(verdict);
          known.set(record, entry);
        }
        if (kind === 'ack') {
          known.set(record, { acked: { verdict, time }, inFlight: [] });
          acks++;
        }
      }
    });
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child ended by itself (code ${code}): ${stderr}`));
      else resolvePromise(acks);
    });
  });
}

it(`keeps every acknowledged decision across ${KILLS} SIGKILLs`, async () => {
  const dir = join(work, 'review');
  const file = join(dir, 'screening', 'decisions', `${fileSafeReviewerId('crash@x.org')}.json`);
  const known = new Map<string, Known>();
  let totalAcks = 0;
  const started = Date.now();
  for (let iteration = 0; iteration < KILLS; iteration++) {
    totalAcks += await runOnce(dir, iteration, known);
    if (!existsSync(file)) {
      expect([...known.values()].some((entry) => entry.acked)).toBe(false);
      continue;
    }
    const read = readEntryFile('decisions', readFileSync(file, 'utf8'));
    expect(read.status, `after kill ${iteration}`).toBe('ok');
    if (read.status !== 'ok') return;
    const onDisk = new Map(read.entries.map((entry) => [entry.record, entry]));
    for (const [record, entry] of known) {
      const disk = onDisk.get(record);
      if (!entry.acked) {
        // Never acknowledged: may or may not be there, but only with a verdict that was begun.
        if (disk) expect(entry.inFlight).toContain(disk.verdict);
        continue;
      }
      expect(disk, `acknowledged ${record} lost after kill ${iteration}`).toBeDefined();
      if (entry.inFlight.length === 0) {
        expect({ verdict: disk!.verdict, time: disk!.time }).toEqual(entry.acked);
      } else {
        expect([entry.acked.verdict, ...entry.inFlight]).toContain(disk!.verdict);
      }
      // Later writes settle the in-flight question for the next round.
      if (disk && entry.inFlight.length > 0 && disk.verdict !== entry.acked.verdict) {
        known.set(record, { acked: { verdict: disk.verdict, time: disk.time }, inFlight: [] });
      }
    }
  }
  const seconds = (Date.now() - started) / 1000;
  // Temporary files of killed writers are cleaned up by the next start (the child's own load).
  const leftovers = readdirSync(join(dir, 'screening', 'decisions')).filter((name) => name.endsWith('.tmp'));
  expect(leftovers.length).toBeLessThanOrEqual(1);
  expect(totalAcks).toBeGreaterThan(KILLS);
  console.log(`crash test: ${KILLS} kills, ${totalAcks} acknowledged decisions, ${known.size} records, ${seconds.toFixed(1)} s`);
}, 180_000);
