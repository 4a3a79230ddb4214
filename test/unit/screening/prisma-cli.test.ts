/** `sr-screening prisma [DIR] --format svg|csv|md|json [--out FILE] [--detail]`. */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../../src/cli/args';
import { prismaCommand } from '../../../src/cli/prisma';
import { svgBoxes } from './helpers/prisma-svg';

const SEEDS = resolve(__dirname, '../../../seeds');
let dir: string;
let stdout: string;
let stderr: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sr-prisma-cli-'));
  cpSync(SEEDS, join(dir, 'review'), { recursive: true });
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('sr-screening prisma', () => {
  it('writes the diagram as SVG to --out, with per-source detail on request', async () => {
    const out = join(dir, 'flow.svg');
    expect(await prismaCommand.run([join(dir, 'review'), '--format', 'svg', '--out', out, '--detail'])).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain('wrote');
    expect(stderr).toContain('5 records are still pending');
    const svg = readFileSync(out, 'utf8');
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')).toBe(true);
    expect(XMLValidator.validate(svg)).toBe(true);
    const boxes = svgBoxes(svg);
    expect(boxes.get('database_results')!.text).toContain('CORD-19 (n = 1)');
    expect(boxes.get('records_screened')!.text).toBe('Records screened (n = 3) Awaiting a decision (n = 3)');
  });

  it('prints svg, csv, md and json to standard output', async () => {
    for (const [format, start] of [
      ['svg', '<?xml'],
      ['csv', 'data,node,box,description,boxtext,tooltips,url,n\n'],
      ['md', '| Stage | Box | n |'],
      ['json', '{\n  "previous_studies": 0'],
    ]) {
      stdout = '';
      expect(await prismaCommand.run([join(dir, 'review'), '--format', format])).toBe(0);
      expect(stdout.startsWith(start), format).toBe(true);
    }
  });

  it('explains that PNG needs VS Code, and rejects unknown formats', async () => {
    await expect(prismaCommand.run([join(dir, 'review'), '--format', 'png', '--out', join(dir, 'x.png')])).rejects.toThrow(UsageError);
    await expect(prismaCommand.run([join(dir, 'review'), '--format', 'pdf'])).rejects.toThrow(/md, json, csv or svg/);
    expect(existsSync(join(dir, 'x.png'))).toBe(false);
  });
});
