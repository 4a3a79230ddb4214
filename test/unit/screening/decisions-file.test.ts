import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/screening/decision';
import { readEntryFile, serialiseEntryFile } from '../../../src/screening/entry-file';

const FIXTURES = resolve(__dirname, '../../fixtures/screening');

const d = (record: string, stage: Decision['stage'], verdict: Decision['verdict'], time: string, reason: string | null = null): Decision => ({
  record,
  stage,
  verdict,
  reason,
  note: null,
  time,
});

describe('decisions file text', () => {
  it('writes a header line, one decision per line sorted by record then stage, LF and a final newline', () => {
    const text = serialiseEntryFile('decisions', { reviewer: 'a@x.org' }, [
      d('pmid:2', 'title-abstract', 'exclude', '2026-01-01T00:00:02.000Z', 'Wrong population'),
      d('doi:10.1/abc', 'full-text', 'include', '2026-01-01T00:00:03.000Z'),
      d('doi:10.1/abc', 'title-abstract', 'include', '2026-01-01T00:00:01.000Z'),
    ]);
    expect(text).toBe(
      '{"format":"sr-screening-decisions","version":1,"reviewer":"a@x.org","decisions":[\n' +
        '{"record":"doi:10.1/abc","stage":"title-abstract","verdict":"include","reason":null,"note":null,"time":"2026-01-01T00:00:01.000Z"},\n' +
        '{"record":"doi:10.1/abc","stage":"full-text","verdict":"include","reason":null,"note":null,"time":"2026-01-01T00:00:03.000Z"},\n' +
        '{"record":"pmid:2","stage":"title-abstract","verdict":"exclude","reason":"Wrong population","note":null,"time":"2026-01-01T00:00:02.000Z"}\n' +
        ']}\n',
    );
    expect(() => JSON.parse(text)).not.toThrow();
    expect(text).not.toContain('\r');
  });

  it('writes an empty file as valid JSON', () => {
    const text = serialiseEntryFile('decisions', { reviewer: 'a@x.org' }, []);
    expect(JSON.parse(text)).toEqual({ format: 'sr-screening-decisions', version: 1, reviewer: 'a@x.org', decisions: [] });
  });

  it('round-trips, including text that needs escaping', () => {
    const decisions = [d('ref:1', 'title-abstract', 'exclude', '2026-01-01T00:00:00.000Z', 'Wrong "population", \u2028 and\nmore')];
    const read = readEntryFile('decisions', serialiseEntryFile('decisions', { reviewer: 'r' }, decisions));
    expect(read.status).toBe('ok');
    if (read.status === 'ok') expect(read.entries).toEqual(decisions);
  });

  it('lines up two reviewers line by line (same order, same keys)', () => {
    const a = serialiseEntryFile('decisions', { reviewer: 'a' }, [d('r1', 'title-abstract', 'include', '2026-01-01T00:00:00.000Z'), d('r2', 'title-abstract', 'include', '2026-01-01T00:00:00.000Z')]);
    const b = serialiseEntryFile('decisions', { reviewer: 'b' }, [d('r2', 'title-abstract', 'exclude', '2026-01-01T00:00:00.000Z'), d('r1', 'title-abstract', 'include', '2026-01-01T00:00:00.000Z')]);
    const la = a.split('\n');
    const lb = b.split('\n');
    expect(la.length).toBe(lb.length);
    const differing = la.map((line, i) => (line === lb[i] ? -1 : i)).filter((i) => i >= 0);
    expect(differing).toEqual([0, 2]); // the header and r2's decision
  });
});

describe('reading decisions files', () => {
  it('reports invalid JSON with its line', () => {
    const text = '{"format":"sr-screening-decisions","version":1,"reviewer":"a","decisions":[\n{"record":"r1","stage":"title-abstract","verdict":"include","reason":null,"note":null,"time":"2026-01-01T00:00:00.000Z"},\n{"record":"r2",,}\n]}\n';
    const read = readEntryFile('decisions', text);
    expect(read).toMatchObject({ status: 'invalid', line: 3 });
  });

  it('reports a schema violation with the line of the decision and the reason', () => {
    const text =
      '{"format":"sr-screening-decisions","version":1,"reviewer":"a","decisions":[\n' +
      '{"record":"r1","stage":"title-abstract","verdict":"include","reason":null,"note":null,"time":"2026-01-01T00:00:00.000Z"},\n' +
      '{"record":"r2","stage":"title-abstract","verdict":"perhaps","reason":null,"note":null,"time":"2026-01-01T00:00:00.000Z"}\n' +
      ']}\n';
    const read = readEntryFile('decisions', text);
    expect(read.status).toBe('invalid');
    if (read.status === 'invalid') {
      expect(read.line).toBe(3);
      expect(read.message).toMatch(/\/decisions\/1\/verdict must be equal to one of the allowed values/);
    }
  });

  it('rejects not-retrieved at title/abstract and bad times', () => {
    const line = (verdict: string, stage: string, time: string) =>
      `{"format":"sr-screening-decisions","version":1,"reviewer":"a","decisions":[\n{"record":"r1","stage":"${stage}","verdict":"${verdict}","reason":null,"note":null,"time":"${time}"}\n]}\n`;
    expect(readEntryFile('decisions', line('not-retrieved', 'title-abstract', '2026-01-01T00:00:00Z')).status).toBe('invalid');
    expect(readEntryFile('decisions', line('not-retrieved', 'full-text', '2026-01-01T00:00:00Z')).status).toBe('ok');
    expect(readEntryFile('decisions', line('include', 'full-text', '2026-01-01 10:00')).status).toBe('invalid');
  });

  it('reports another kind of file and an empty file', () => {
    expect(readEntryFile('decisions', '{"format":"something-else","version":1}')).toMatchObject({ status: 'invalid', line: 1 });
    expect(readEntryFile('decisions', '')).toMatchObject({ status: 'invalid', line: 0 });
    expect(readEntryFile('decisions', '[1,2]')).toMatchObject({ status: 'invalid' });
  });

  it('migrates the version-0 fixture (a plain object keyed by record id)', () => {
    const read = readEntryFile('decisions', readFileSync(resolve(FIXTURES, 'decisions-v0.json'), 'utf8'), 'ann@x.org.json');
    expect(read.status).toBe('ok');
    if (read.status !== 'ok') return;
    expect(read.migratedFrom).toBe(0);
    expect(read.header.reviewer).toBe('ann@x.org');
    const byRecord = Object.fromEntries(read.entries.map((entry) => [entry.record, entry]));
    expect(byRecord['doi:10.1186/s12888-025-06572-2']).toEqual({
      record: 'doi:10.1186/s12888-025-06572-2',
      stage: 'title-abstract',
      verdict: 'include',
      reason: null,
      note: 'integrated care, SMI',
      time: '2025-03-02T10:00:00.000Z',
    });
    expect(byRecord['doi:10.3389/fpsyt.2021.798530']).toMatchObject({ verdict: 'exclude', reason: 'Wrong study design', time: '2025-03-02T10:04:31.250Z' });
    expect(byRecord['ref:3ca766b16992']).toMatchObject({ verdict: 'maybe', time: '2025-03-03T00:00:00.000Z' });
    expect(byRecord['doi:10.1037/prj0000404']).toMatchObject({ stage: 'full-text', verdict: 'include', time: '2025-03-10T07:00:00.000Z' });
  });

  it('opens a newer version read-only, showing what it can', () => {
    const read = readEntryFile('decisions', readFileSync(resolve(FIXTURES, 'decisions-v2.json'), 'utf8'));
    expect(read.status).toBe('newer');
    if (read.status !== 'newer') return;
    expect(read.version).toBe(2);
    expect(read.message).toMatch(/newer version.*read-only/);
    expect(read.entries.map((entry) => entry.record)).toEqual(['doi:10.1/b']);
  });

  it('keeps the later of repeated entries and warns', () => {
    const text =
      '{"format":"sr-screening-decisions","version":1,"reviewer":"a","decisions":[\n' +
      '{"record":"r1","stage":"title-abstract","verdict":"include","reason":null,"note":null,"time":"2026-01-01T00:00:02.000Z"},\n' +
      '{"record":"r1","stage":"title-abstract","verdict":"exclude","reason":null,"note":null,"time":"2026-01-01T00:00:01.000Z"}\n' +
      ']}\n';
    const read = readEntryFile('decisions', text);
    expect(read.status).toBe('ok');
    if (read.status !== 'ok') return;
    expect(read.entries).toHaveLength(1);
    expect(read.entries[0].verdict).toBe('include');
    expect(read.warnings[0]).toMatch(/repeated/);
  });

  it('recognises git conflict markers and recovers both sides, the later decision winning', () => {
    const text =
      '{"format":"sr-screening-decisions","version":1,"reviewer":"a@x.org","decisions":[\n' +
      '{"record":"r1","stage":"title-abstract","verdict":"include","reason":null,"note":null,"time":"2026-01-01T00:00:00.000Z"},\n' +
      '<<<<<<< HEAD\n' +
      '{"record":"r2","stage":"title-abstract","verdict":"include","reason":null,"note":null,"time":"2026-01-02T00:00:00.000Z"},\n' +
      '{"record":"r3","stage":"title-abstract","verdict":"exclude","reason":null,"note":null,"time":"2026-01-02T00:00:00.000Z"}\n' +
      '||||||| base\n' +
      '{"record":"r2","stage":"title-abstract","verdict":"maybe","reason":null,"note":null,"time":"2025-12-31T00:00:00.000Z"}\n' +
      '=======\n' +
      '{"record":"r2","stage":"title-abstract","verdict":"exclude","reason":null,"note":null,"time":"2026-01-03T00:00:00.000Z"},\n' +
      '{"record":"r4","stage":"title-abstract","verdict":"include","reason":null,"note":null,"time":"2026-01-01T00:00:00.000Z"}\n' +
      '>>>>>>> origin/main\n' +
      ']}\n';
    const read = readEntryFile('decisions', text, 'a@x.org.json');
    expect(read.status).toBe('conflicted');
    if (read.status !== 'conflicted') return;
    expect(read.header.reviewer).toBe('a@x.org');
    const verdicts = Object.fromEntries(read.entries.map((entry) => [entry.record, entry.verdict]));
    expect(verdicts).toEqual({ r1: 'include', r2: 'exclude', r3: 'exclude', r4: 'include' });
    expect(read.message).toMatch(/conflict markers/);
  });
});
