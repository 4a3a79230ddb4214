import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../../src/cli/args';
import { commands } from '../../../src/cli/commands';
import { simulateCommand } from '../../../src/cli/simulate';

const SLEEP = 'insomnia sleep melatonin circadian hypnotic'.split(' ');
const DENTAL = 'caries dental fluoride enamel periodontal'.split(' ');

/** 80 rows, every 8th an include about sleep. */
function csv(): string {
  const rows = ['title,abstract,label_included'];
  for (let i = 0; i < 80; i++) {
    const words = i % 8 === 0 ? SLEEP : DENTAL;
    const pick = (k: number) => words[(i + k) % words.length];
    rows.push(`"${pick(0)} ${pick(1)} trial ${i}","${pick(2)} ${pick(3)} patients ${pick(4)} outcome",${i % 8 === 0 ? 1 : 0}`);
  }
  return `${rows.join('\n')}\n`;
}

let dir: string;
let out: string;
let err: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'simulate-cli-'));
  writeFileSync(join(dir, 'labelled.csv'), csv());
  writeFileSync(join(dir, 'unlabelled.csv'), 'title,abstract\nA,B\nC,D\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function run(argv: string[]): Promise<number> {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  return simulateCommand.run(argv);
}

describe('sr-screening simulate', () => {
  it('is listed among the commands', () => {
    expect(commands).toContain(simulateCommand);
  });

  it('prints WSS@95, RRF@10 and ATD per run and on average as JSON', async () => {
    expect(await run([join(dir, 'labelled.csv'), '--runs', '3', '--seed', '5', '--json'])).toBe(0);
    const parsed = JSON.parse(out);
    expect(parsed).toMatchObject({ records: 80, includes: 10, labelColumn: 'label_included', batch: 1 });
    expect(parsed.runs.map((r: { seed: number }) => r.seed)).toEqual([5, 6, 7]);
    for (const r of parsed.runs) {
      expect(r).toEqual({
        seed: expect.any(Number),
        priors: [expect.any(Number), expect.any(Number)],
        wss95: expect.any(Number),
        rrf10: expect.any(Number),
        atd: expect.any(Number),
        atdRecords: expect.any(Number),
        recordsTo95: expect.any(Number),
        retrains: expect.any(Number),
        stoppingPoint: { screened: expect.any(Number), recall: expect.any(Number) },
        seconds: expect.any(Number),
        random: { wss95: expect.any(Number), rrf10: expect.any(Number), atd: expect.any(Number), atdRecords: expect.any(Number) },
      });
      // 9 includes among 78 records, all found first: WSS@95 = (78 − 9)/78 − 0.05.
      expect(r.recordsTo95).toBe(9);
      expect(r.wss95).toBeCloseTo((78 - 9) / 78 - 0.05, 4);
    }
    expect(parsed.mean.wss95).toBeCloseTo((78 - 9) / 78 - 0.05, 4);
    expect(parsed.mean.wss95).toBeGreaterThan(parsed.randomMean.wss95);
  });

  it('prints a table without --json', async () => {
    expect(await run([join(dir, 'labelled.csv'), '--runs', '2'])).toBe(0);
    expect(out).toMatch(/80 records, 10 includes/);
    expect(out).toMatch(/WSS@95/);
    expect(out.split('\n').filter((line) => /^\s+(1|2|mean)\s/.test(line))).toHaveLength(3);
  });

  it('rejects files without labels and bad options', async () => {
    expect(await run([join(dir, 'unlabelled.csv')])).toBe(1);
    expect(err).toMatch(/needs at least one include and one exclude/);
    await expect(run([])).rejects.toBeInstanceOf(UsageError);
    await expect(run([join(dir, 'labelled.csv'), '--runs', '0'])).rejects.toBeInstanceOf(UsageError);
  });
});
