/**
 * screening/fulltext.json: the PDF of each record and how it was matched, one record per line,
 * sorted by record id, so `git diff` shows exactly the links that changed and two reviewers' clones
 * (which commit it) agree on which PDF is whose.
 *
 *   {"format":"sr-screening-fulltext","version":1,"links":[
 *   {"record":"doi:10.1/a","file":"fulltext/a.pdf","method":"file-name","detail":"\"10.1_a\"","by":null,"time":null},
 *   {"record":"pmid:1","file":null,"method":"manual","detail":null,"by":"ann@x.org","time":"2026-02-03T10:15:02.120Z"}
 *   ]}
 *
 * `file: null` is a record detached by hand: automatic matching leaves it alone.
 */
import { locateJsonError } from '../json-locate';
import { describeError, validator } from '../schemas';
import type { MatchMethod } from './match';

export const FULLTEXT_FORMAT = 'sr-screening-fulltext';
export const FULLTEXT_VERSION = 1;

export interface FullTextLink {
  record: string;
  file: string | null;
  method: MatchMethod;
  detail: string | null;
  by: string | null;
  time: string | null;
}

export type LinksRead =
  | { status: 'ok'; links: FullTextLink[] }
  | { status: 'newer'; version: number; message: string }
  | { status: 'invalid'; line: number; message: string };

export function serialiseLink(link: FullTextLink): string {
  return JSON.stringify({ record: link.record, file: link.file, method: link.method, detail: link.detail, by: link.by, time: link.time });
}

export function serialiseLinks(links: Iterable<FullTextLink>): string {
  const sorted = [...links].sort((a, b) => (a.record < b.record ? -1 : a.record > b.record ? 1 : 0));
  const head = `{"format":"${FULLTEXT_FORMAT}","version":${FULLTEXT_VERSION},"links":[`;
  return sorted.length === 0 ? `${head}\n]}\n` : `${head}\n${sorted.map(serialiseLink).join(',\n')}\n]}\n`;
}

/** Reads fulltext.json; never throws. */
export function readLinks(text: string): LinksRead {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (error) {
    const located = locateJsonError(body);
    return { status: 'invalid', line: located?.line ?? 0, message: `Not valid JSON: ${located?.message ?? String(error)}.` };
  }
  const version = (doc as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > FULLTEXT_VERSION) {
    return { status: 'newer', version, message: `Written by a newer version of sr-screening (version ${version}); it is read-only here.` };
  }
  const validate = validator('fulltext');
  if (!validate(doc)) {
    const path = validate.errors?.[0]?.instancePath ?? '';
    const index = /^\/links\/(\d+)/.exec(path);
    // One link per line after the header line.
    return { status: 'invalid', line: index ? Number(index[1]) + 2 : 1, message: describeError(validate.errors) };
  }
  const links = (doc as { links: FullTextLink[] }).links;
  const seen = new Map<string, FullTextLink>();
  for (const link of links) seen.set(link.record, link);
  return { status: 'ok', links: [...seen.values()] };
}
