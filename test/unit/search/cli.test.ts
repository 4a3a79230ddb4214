import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../../src/cli/args';
import { commands } from '../../../src/cli/commands';
import { searchCommand } from '../../../src/cli/search';

const RIS = [
  ['Fluoxetine for adolescent depression', 'Smith, John', '2012', 'A randomised trial of fluoxetine. Mental health outcomes improved.'],
  ['Exercise and mental health', 'Smyth, Anne', '2018', 'Exercise helps depression and anxiety.'],
  ['Olanzapine and weight gain', 'Lee, Kim', '2005', 'Antipsychotic treatment causes weight gain.'],
]
  .map(([title, author, year, abstract]) => `TY  - JOUR\r\nTI  - ${title}\r\nAU  - ${author}\r\nPY  - ${year}\r\nAB  - ${abstract}\r\nER  - \r\n`)
  .join('\r\n');

let dir: string;
let out: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'search-cli-'));
  writeFileSync(join(dir, 'records.ris'), RIS);
  writeFileSync(join(dir, 'queries.txt'), 'depresion\n\n"mental health"\nyear:2010-2020 -exercise\nzzzz\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function run(argv: string[]): Promise<number> {
  out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return searchCommand.run(argv);
}

describe('sr-screening search', () => {
  it('is listed among the commands', () => {
    expect(commands).toContain(searchCommand);
  });

  it('prints one query as JSON with every result', async () => {
    expect(await run([dir, 'depresion', '--json'])).toBe(0);
    const parsed = JSON.parse(out);
    expect(parsed).toMatchObject({ query: 'depresion', total: 2, relaxed: false, warnings: [] });
    expect(parsed.results).toHaveLength(2);
    expect(parsed.results[0]).toEqual({ id: expect.any(String), score: expect.any(Number), penalty: 2 });
  });

  it('runs a file of queries against one index, with positions on request', async () => {
    expect(await run([dir, '--queries', join(dir, 'queries.txt'), '--json', '--positions', '--limit', '1'])).toBe(0);
    const parsed = JSON.parse(out) as { query: string; total: number; results: { positions: { title: [number, number][] } }[] }[];
    expect(parsed.map((q) => [q.query, q.total])).toEqual([
      ['depresion', 2],
      ['"mental health"', 2],
      ['year:2010-2020 -exercise', 1],
      ['zzzz', 0],
    ]);
    expect(parsed[1].results).toHaveLength(1);
    expect(parsed[1].results[0].positions.title.length).toBeGreaterThan(0);
  });

  it('defaults to the current folder and prints text', async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(await run(['olanzapine'])).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    expect(out).toContain('1 result(s) for "olanzapine"');
    expect(out).toContain('Olanzapine and weight gain — Lee, Kim, 2005');
    expect(await run([dir, 'qqqqqq'])).toBe(1);
  });

  it('rejects bad usage', async () => {
    await expect(run([])).rejects.toThrow(UsageError);
    await expect(run([dir, 'a', 'b'])).rejects.toThrow(UsageError);
    await expect(run([dir, 'a', '--limit', 'x'])).rejects.toThrow(UsageError);
    await expect(run(['--queries', join(dir, 'missing.txt')])).rejects.toThrow(UsageError);
  });
});
