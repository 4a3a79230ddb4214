import { readFileSync } from 'node:fs';
import { importFiles } from '../screening/import-records';
import type { BibRecord } from '../screening/record';
import { SearchIndex, type SearchResponse, type Span } from '../screening/search';
import { parseArgs, UsageError } from './args';
import type { CliCommand } from './commands';
import { readImportInputs } from './files';

const USAGE = `Usage: sr-screening search [DIR] QUERY [--json] [--limit N] [--positions]
       sr-screening search [DIR] --queries FILE [--json] [--limit N] [--positions]
  Imports DIR (default: the current folder), indexes it once and runs the query, or each line of FILE.
  Query syntax: words (typos and a prefix for the last word allowed), "a phrase", -exclude, -"a phrase",
  title:/ti: abstract:/ab: author:/au: keyword:/kw: fulltext:/ft: one field, year:2010 year:2010-2015 year:>=2018.
  --json prints every result (or the first N with --limit); the text output shows the first 10 (or N).
  --positions adds match positions ([start, end) offsets per field) for the results shown.
  Exit 0 when some query matched, 1 when none did, 2 on usage errors.`;

interface QueryOutput {
  query: string;
  total: number;
  relaxed: boolean;
  ms: number;
  warnings: string[];
  suggestions: SearchResponse['suggestions'];
  results: { id: string; score: number; penalty: number; positions?: unknown }[];
}

export const searchCommand: CliCommand = {
  name: 'search',
  summary: 'Search the records of a folder (typos, phrases, -exclusions, field and year filters)',
  usage: USAGE,
  async run(argv) {
    const { positional, flags } = parseArgs(argv, ['json', 'positions'], ['queries', 'limit']);
    const queriesFile = flags.get('queries');
    let dir = '.';
    let queries: string[];
    if (typeof queriesFile === 'string') {
      if (positional.length > 1) throw new UsageError('with --queries, give at most a folder');
      dir = positional[0] ?? '.';
      let text: string;
      try {
        text = readFileSync(queriesFile, 'utf8');
      } catch {
        throw new UsageError(`cannot read the queries file ${queriesFile}`);
      }
      queries = text.split(/\r?\n/).filter((line) => line.trim() !== '');
    } else {
      if (positional.length === 0) throw new UsageError('give a query (quote it when it has spaces), or --queries FILE');
      if (positional.length > 2) throw new UsageError('give one query; quote it when it has spaces');
      if (positional.length === 2) dir = positional[0];
      queries = [positional[positional.length - 1]];
    }
    const limitFlag = flags.get('limit');
    const limit = typeof limitFlag === 'string' ? Number(limitFlag) : undefined;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new UsageError('--limit needs a whole number');
    const json = flags.has('json');
    const withPositions = flags.has('positions');

    const started = performance.now();
    const outcome = importFiles(readImportInputs([dir]));
    const imported = performance.now();
    const index = new SearchIndex(outcome.records);
    const indexed = performance.now();
    const errors = outcome.problems.filter((p) => p.severity === 'error').length;
    if (errors > 0) process.stderr.write(`sr-screening search: ${errors} import error(s); 'sr-screening import ${dir}' lists them\n`);
    if (outcome.records.length === 0) process.stderr.write(`sr-screening search: no records found in ${dir}\n`);
    const byId = new Map<string, BibRecord>(outcome.records.map((r) => [r.id, r]));

    const outputs: QueryOutput[] = [];
    for (const query of queries) {
      const t0 = performance.now();
      const response = index.search(query);
      const ms = performance.now() - t0;
      const shown = response.results.slice(0, limit ?? (json ? undefined : 10));
      outputs.push({
        query,
        total: response.total,
        relaxed: response.relaxed,
        ms: Math.round(ms * 100) / 100,
        warnings: response.warnings,
        suggestions: response.suggestions,
        results: shown.map((r) => ({
          id: r.id,
          score: Math.round(r.score * 10000) / 10000,
          penalty: r.penalty,
          ...(withPositions ? { positions: index.positions(r.id, query) } : {}),
        })),
      });
    }

    if (json) {
      process.stdout.write(`${JSON.stringify(typeof queriesFile === 'string' ? outputs : outputs[0], null, 2)}\n`);
    } else {
      const out = process.stdout;
      out.write(
        `${outcome.records.length} records from ${dir}: imported in ${((imported - started) / 1000).toFixed(2)} s, indexed in ${((indexed - imported) / 1000).toFixed(2)} s\n`,
      );
      for (const result of outputs) {
        out.write(`\n${result.total} result(s) for ${JSON.stringify(result.query)} (${result.ms} ms)${result.relaxed ? ' — no record has every word; showing records with some' : ''}\n`);
        for (const warning of result.warnings) out.write(`  warning: ${warning}\n`);
        for (const s of result.suggestions) if (s.terms.length > 0) out.write(`  no match for "${s.word}"; did you mean ${s.terms.map((t) => `"${t}"`).join(', ')}?\n`);
        for (const r of result.results) {
          const record = byId.get(r.id);
          const spans = (r.positions as { title?: Span[] } | undefined)?.title;
          const title = record ? (spans ? mark(record.title, spans) : record.title) : '';
          const first = record?.authors[0] ? `${record.authors[0]}${record.authors.length > 1 ? ' et al.' : ''}` : 'no author';
          out.write(`  ${r.id}  ${r.score.toFixed(2).padStart(6)}  ${title || '(no title)'} — ${first}${record?.year ? `, ${record.year}` : ''}\n`);
        }
        if (result.total > result.results.length) out.write(`  … and ${result.total - result.results.length} more\n`);
      }
    }
    return outputs.some((o) => o.total > 0) ? 0 : 1;
  },
};

/** The text with [brackets] around the spans. */
function mark(text: string, spans: Span[]): string {
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    out += `${text.slice(at, start)}[${text.slice(start, end)}]`;
    at = end;
  }
  return out + text.slice(at);
}
