/**
 * The text format of decisions files (screening/decisions/<reviewer>.json) and of
 * screening/resolutions.json: valid JSON, a format name and a schema version first, then one entry
 * per line, sorted by record id and stage, keys in a fixed order, LF line ends, a final newline.
 *
 *   {"format":"sr-screening-decisions","version":1,"reviewer":"a@x.org","decisions":[
 *   {"record":"doi:10.1/abc","stage":"title-abstract","verdict":"include","reason":null,"note":null,"time":"…Z"},
 *   {"record":"doi:10.1/abd","stage":"title-abstract","verdict":"exclude","reason":"Wrong population","note":null,"time":"…Z"}
 *   ]}
 *
 * So `git diff` shows exactly the decisions that changed, and two reviewers' files line up under
 * `git diff --no-index`. Reading migrates older versions, opens newer ones read-only, recovers both
 * sides of a file holding git conflict markers, and reports anything else with a line and a reason.
 */
import { compareTimes, entryKey, isIsoUtc, isStage, type Decision, type Entry, type Resolution, type Stage, type Verdict } from './decision';
import { locateJsonError } from './json-locate';
import { describeError, validator } from './schemas';

export type EntryFileKind = 'decisions' | 'resolutions';

/** The schema version this build writes. */
export const CURRENT_VERSION = 1;

export const FILE_FORMATS: Record<EntryFileKind, string> = {
  decisions: 'sr-screening-decisions',
  resolutions: 'sr-screening-resolutions',
};

const ENTRY_DEFINITION: Record<EntryFileKind, string> = { decisions: 'decision', resolutions: 'resolution' };

export interface EntryTypes {
  decisions: Decision;
  resolutions: Resolution;
}

/** Header fields besides format and version: decisions files name their reviewer. */
export interface EntryFileHeader {
  reviewer?: string;
}

export interface ParsedEntryFile<K extends EntryFileKind> {
  header: EntryFileHeader;
  entries: EntryTypes[K][];
}

export type ReadOutcome<K extends EntryFileKind> =
  /** A file of this build's version, or an older one migrated in memory (`migratedFrom`). */
  | (ParsedEntryFile<K> & { status: 'ok'; version: number; migratedFrom?: number; warnings: string[] })
  /** Git conflict markers: both sides recovered and merged; saving writes the merged file. */
  | (ParsedEntryFile<K> & { status: 'conflicted'; message: string; warnings: string[] })
  /** Written by a newer build: what could be read is shown, the file is never written. */
  | (ParsedEntryFile<K> & { status: 'newer'; version: number; message: string; warnings: string[] })
  /** Not readable: never written either. `line` is 1-based (0 for the whole file). */
  | { status: 'invalid'; line: number; message: string };

// ---------------------------------------------------------------------------------------------
// Writing

/** One entry as its line, keys in the fixed order. */
export function serialiseEntry<K extends EntryFileKind>(kind: K, entry: EntryTypes[K]): string {
  // A fresh object in the fixed key order: JSON.stringify then writes the keys in that order.
  if (kind === 'resolutions') {
    const r = entry as Resolution;
    return JSON.stringify({ record: r.record, stage: r.stage, verdict: r.verdict, reason: r.reason, note: r.note, by: r.by, time: r.time });
  }
  return JSON.stringify({ record: entry.record, stage: entry.stage, verdict: entry.verdict, reason: entry.reason, note: entry.note, time: entry.time });
}

export function headerLine(kind: EntryFileKind, header: EntryFileHeader): string {
  const reviewer = kind === 'decisions' ? `"reviewer":${JSON.stringify(header.reviewer ?? '')},` : '';
  return `{"format":${JSON.stringify(FILE_FORMATS[kind])},"version":${CURRENT_VERSION},${reviewer}"${kind}":[`;
}

/** The file text from entry lines already in file order (see entryKey). */
export function serialiseLines(kind: EntryFileKind, header: EntryFileHeader, lines: readonly string[]): string {
  const head = headerLine(kind, header);
  return lines.length === 0 ? `${head}\n]}\n` : `${head}\n${lines.join(',\n')}\n]}\n`;
}

/** The file text of entries in any order (sorted here; the later of two entries for one key wins). */
export function serialiseEntryFile<K extends EntryFileKind>(kind: K, header: EntryFileHeader, entries: readonly EntryTypes[K][]): string {
  const byKey = latestByKey(entries, kind);
  const keys = [...byKey.keys()].sort(compareKeys);
  return serialiseLines(
    kind,
    header,
    keys.map((key) => serialiseEntry(kind, byKey.get(key)!)),
  );
}

export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Later time wins; equal times are settled by the line text so every machine picks the same. */
export function laterEntry<E extends Entry>(kind: EntryFileKind, a: E, b: E): E {
  const order = compareTimes(a.time, b.time);
  if (order !== 0) return order > 0 ? a : b;
  const la = serialiseEntry(kind, a as never);
  const lb = serialiseEntry(kind, b as never);
  return la >= lb ? a : b;
}

function latestByKey<E extends Entry>(entries: readonly E[], kind: EntryFileKind): Map<string, E> {
  const byKey = new Map<string, E>();
  for (const entry of entries) {
    const key = entryKey(entry.record, entry.stage);
    const existing = byKey.get(key);
    byKey.set(key, existing ? laterEntry(kind, existing, entry) : entry);
  }
  return byKey;
}

// ---------------------------------------------------------------------------------------------
// Reading

const CONFLICT_START = /^<{7}(?: |$)/;
const CONFLICT_BASE = /^\|{7}(?: |$)/;
const CONFLICT_MIDDLE = /^={7}$/;
const CONFLICT_END = /^>{7}(?: |$)/;

export function hasConflictMarkers(text: string): boolean {
  return /^<{7}(?: |$)/m.test(text) && /^>{7}(?: |$)/m.test(text) && /^={7}\r?$/m.test(text);
}

/**
 * Reads a decisions or resolutions file. `fileName` (without folder) names the reviewer of a
 * version-0 decisions file. Never throws.
 */
export function readEntryFile<K extends EntryFileKind>(kind: K, text: string, fileName = ''): ReadOutcome<K> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { status: 'invalid', line: 0, message: 'The file is empty.' };
  if (hasConflictMarkers(body)) return recoverConflicted(kind, body, fileName);
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (error) {
    const located = locateJsonError(body);
    return {
      status: 'invalid',
      line: located?.line ?? 0,
      message: `Not valid JSON: ${located ? `${located.message} (column ${located.column})` : String(error)}.`,
    };
  }
  if (!isObject(doc)) return { status: 'invalid', line: 1, message: `Expected a JSON object with "format":"${FILE_FORMATS[kind]}".` };
  const format = doc.format;
  if (format === undefined && kind === 'decisions' && looksLikeV0(doc)) {
    const migrated = migrateV0(doc, fileName);
    if (typeof migrated === 'string') return { status: 'invalid', line: 0, message: migrated };
    return validateCurrent(kind, migrated, body, 0);
  }
  if (format !== FILE_FORMATS[kind]) {
    return {
      status: 'invalid',
      line: 1,
      message: `Not a ${kind} file: "format" is ${JSON.stringify(format)}, expected "${FILE_FORMATS[kind]}".`,
    };
  }
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return { status: 'invalid', line: 1, message: `"version" must be a whole number (this build writes ${CURRENT_VERSION}).` };
  }
  if (version > CURRENT_VERSION) return readNewer(kind, doc, version);
  if (version < CURRENT_VERSION) {
    // Version 0 files had no format name; a v0 file given one by hand is read the same way.
    const migrated = migrateV0(doc, fileName);
    if (typeof migrated === 'string') return { status: 'invalid', line: 0, message: migrated };
    return validateCurrent(kind, migrated, body, version);
  }
  return validateCurrent(kind, doc, body);
}

function validateCurrent<K extends EntryFileKind>(kind: K, doc: Record<string, unknown>, text: string, migratedFrom?: number): ReadOutcome<K> {
  const validate = validator(kind);
  if (!validate(doc)) {
    const path = validate.errors?.[0]?.instancePath ?? '';
    return { status: 'invalid', line: lineOfPath(kind, text, path, migratedFrom !== undefined), message: describeError(validate.errors) };
  }
  const list = doc[kind] as EntryTypes[K][];
  const warnings: string[] = [];
  const entries = dedupe(kind, list, warnings);
  const header: EntryFileHeader = kind === 'decisions' ? { reviewer: doc.reviewer as string } : {};
  return { status: 'ok', version: CURRENT_VERSION, header, entries, warnings, ...(migratedFrom !== undefined ? { migratedFrom } : {}) };
}

function readNewer<K extends EntryFileKind>(kind: K, doc: Record<string, unknown>, version: number): ReadOutcome<K> {
  const validateEntry = validator(kind, ENTRY_DEFINITION[kind]);
  const list = Array.isArray(doc[kind]) ? (doc[kind] as unknown[]) : [];
  const readable = list.filter((entry) => validateEntry(entry)) as EntryTypes[K][];
  const warnings: string[] = [];
  const entries = dedupe(kind, readable, warnings);
  const header: EntryFileHeader = kind === 'decisions' && typeof doc.reviewer === 'string' ? { reviewer: doc.reviewer } : {};
  const skipped = list.length - readable.length;
  return {
    status: 'newer',
    version,
    header,
    entries,
    warnings,
    message:
      `Written by a newer version of sr-screening (file version ${version}, this build knows ${CURRENT_VERSION}): ` +
      `opened read-only and never overwritten${skipped > 0 ? `; ${skipped} entries of an unknown shape are not shown` : ''}. Update the extension to edit it.`,
  };
}

/** Keeps the later of entries sharing a record and stage (hand edits or concatenated files). */
function dedupe<K extends EntryFileKind>(kind: K, list: readonly EntryTypes[K][], warnings: string[]): EntryTypes[K][] {
  // Files this build wrote are sorted by key: strictly increasing keys cannot repeat.
  let previous = '';
  let sorted = true;
  for (const entry of list) {
    const key = entryKey(entry.record, entry.stage);
    if (key <= previous) {
      sorted = false;
      break;
    }
    previous = key;
  }
  if (sorted) return list.slice();
  const byKey = latestByKey(list, kind);
  if (byKey.size !== list.length) {
    warnings.push(`${list.length - byKey.size} repeated entries for the same record and stage: the latest of each is kept.`);
    return [...byKey.values()];
  }
  return list.slice();
}

/** Whether two entries are the same (all fields). */
export function sameEntry(a: Entry | undefined, b: Entry | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return (
    a.record === b.record &&
    a.stage === b.stage &&
    a.verdict === b.verdict &&
    a.reason === b.reason &&
    a.note === b.note &&
    a.time === b.time &&
    (a as Resolution).by === (b as Resolution).by
  );
}

/** Maps an ajv path like /decisions/17/verdict to the line of that entry. */
function lineOfPath(kind: EntryFileKind, text: string, path: string, migrated: boolean): number {
  if (migrated) return 0;
  const match = new RegExp(`^/${kind}/(\\d+)`).exec(path);
  if (!match) return 1;
  const index = Number(match[1]);
  const lines = text.split('\n');
  const canonical = lines[0].trimEnd().endsWith('[') && lines.length >= index + 3;
  if (canonical) return index + 2;
  // Hand-formatted: count the "record" keys.
  let seen = -1;
  for (let i = 0; i < lines.length; i++) {
    if (/"record"\s*:/.test(lines[i])) seen++;
    if (seen === index) return i + 1;
  }
  return 1;
}

// ---------------------------------------------------------------------------------------------
// Git conflict markers

export interface ConflictSides {
  ours: string[];
  theirs: string[];
  /** The common ancestor's lines, when every conflicting part shows it (git's diff3 / zdiff3 style). */
  base?: string[];
  conflicts: number;
}

/** The two (or, in diff3 style, three) versions of a text holding git conflict markers. */
export function splitConflictSides(text: string): ConflictSides {
  const ours: string[] = [];
  const theirs: string[] = [];
  const base: string[] = [];
  let state: 'common' | 'ours' | 'base' | 'theirs' = 'common';
  let conflicts = 0;
  let withBase = 0;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (CONFLICT_START.test(line) && state === 'common') {
      state = 'ours';
      conflicts++;
    } else if (CONFLICT_BASE.test(line) && state === 'ours') {
      state = 'base';
      withBase++;
    } else if (CONFLICT_MIDDLE.test(line) && (state === 'ours' || state === 'base')) {
      state = 'theirs';
    } else if (CONFLICT_END.test(line) && state === 'theirs') {
      state = 'common';
    } else if (state === 'common') {
      ours.push(line);
      theirs.push(line);
      base.push(line);
    } else if (state === 'ours') {
      ours.push(line);
    } else if (state === 'base') {
      base.push(line);
    } else if (state === 'theirs') {
      theirs.push(line);
    }
  }
  return { ours, theirs, ...(conflicts > 0 && withBase === conflicts ? { base } : {}), conflicts };
}

interface LenientRead<K extends EntryFileKind> {
  header?: EntryFileHeader;
  entries: EntryTypes[K][];
  /** Lines that looked like entries but were not valid ones. */
  rejected: number;
  newerVersion?: number;
}

/** Reads entries line by line, whatever the commas and brackets around them (one side of a conflict). */
export function readEntryLines<K extends EntryFileKind>(kind: K, lines: readonly string[]): LenientRead<K> {
  const validateEntry = validator(kind, ENTRY_DEFINITION[kind]);
  const entries: EntryTypes[K][] = [];
  let header: EntryFileHeader | undefined;
  let rejected = 0;
  let newerVersion: number | undefined;
  for (const raw of lines) {
    let line = raw.trim();
    if (line === '' || line === ']}' || line === ']' || line === '}') continue;
    if (line.startsWith('{"format"') || new RegExp(`"${kind}"\\s*:\\s*\\[$`).test(line)) {
      try {
        const doc = JSON.parse(`${line}]}`) as Record<string, unknown>;
        if (doc.format === FILE_FORMATS[kind]) {
          header = kind === 'decisions' && typeof doc.reviewer === 'string' ? { reviewer: doc.reviewer } : {};
          if (typeof doc.version === 'number' && doc.version > CURRENT_VERSION) newerVersion = doc.version;
        }
      } catch {
        rejected++;
      }
      continue;
    }
    if (line.endsWith(',')) line = line.slice(0, -1);
    if (!line.startsWith('{') || !line.endsWith('}')) {
      rejected++;
      continue;
    }
    try {
      const entry = JSON.parse(line) as unknown;
      if (validateEntry(entry)) entries.push(entry as EntryTypes[K]);
      else rejected++;
    } catch {
      rejected++;
    }
  }
  return { header, entries, rejected, newerVersion };
}

function recoverConflicted<K extends EntryFileKind>(kind: K, text: string, fileName: string): ReadOutcome<K> {
  const sides = splitConflictSides(text);
  const ours = readEntryLines(kind, sides.ours);
  const theirs = readEntryLines(kind, sides.theirs);
  if (ours.newerVersion !== undefined || theirs.newerVersion !== undefined) {
    const version = Math.max(ours.newerVersion ?? 0, theirs.newerVersion ?? 0);
    return {
      status: 'newer',
      version,
      header: ours.header ?? theirs.header ?? defaultHeader(kind, fileName),
      entries: mergeTwo(kind, ours.entries, theirs.entries),
      warnings: [],
      message: `Holds git conflict markers and was written by a newer version of sr-screening (version ${version}): opened read-only.`,
    };
  }
  if (ours.entries.length === 0 && theirs.entries.length === 0 && ours.rejected + theirs.rejected > 0) {
    return { status: 'invalid', line: 0, message: 'Holds git conflict markers, and neither side has readable entries.' };
  }
  const entries = mergeTwo(kind, ours.entries, theirs.entries);
  const warnings: string[] = [];
  const skipped = Math.max(ours.rejected, theirs.rejected);
  if (skipped > 0) warnings.push(`${skipped} unreadable lines were skipped while recovering the conflict.`);
  return {
    status: 'conflicted',
    header: ours.header ?? theirs.header ?? defaultHeader(kind, fileName),
    entries,
    warnings,
    message:
      `Holds git conflict markers (${sides.conflicts} conflicting ${sides.conflicts === 1 ? 'part' : 'parts'}): both sides were recovered ` +
      `and merged (${entries.length} entries, the later of two versions of an entry wins). The next save writes the merged file.`,
  };
}

function mergeTwo<K extends EntryFileKind>(kind: K, a: readonly EntryTypes[K][], b: readonly EntryTypes[K][]): EntryTypes[K][] {
  return [...latestByKey([...a, ...b], kind).values()];
}

function defaultHeader(kind: EntryFileKind, fileName: string): EntryFileHeader {
  return kind === 'decisions' ? { reviewer: fileName.replace(/\.json$/i, '') || 'unknown' } : {};
}

// ---------------------------------------------------------------------------------------------
// Version 0
//
// The prototype wrote one plain object keyed by record id, one (title/abstract) decision each:
//   { "doi:10.1/abc": { "decision": "included", "reason": "", "comment": "…", "date": "2025-03-02T10:00:00Z" },
//     "pmid:123": { "decision": "excluded", "reason": "Wrong population", "stage": "fulltext", "date": "2025-03-02" } }
// decision: included | excluded | undecided | unsure; stage: abstract (default) | fulltext;
// the reviewer was the file name.

const V0_VERDICTS: Record<string, Verdict> = {
  included: 'include',
  include: 'include',
  excluded: 'exclude',
  exclude: 'exclude',
  undecided: 'maybe',
  unsure: 'maybe',
  maybe: 'maybe',
  'not-retrieved': 'not-retrieved',
};

const V0_STAGES: Record<string, Stage> = {
  abstract: 'title-abstract',
  'title-abstract': 'title-abstract',
  fulltext: 'full-text',
  'full-text': 'full-text',
};

function looksLikeV0(doc: Record<string, unknown>): boolean {
  return Object.values(doc).every((value) => isObject(value) && typeof value.decision === 'string');
}

/** Returns the version-1 document, or why it cannot be migrated. */
export function migrateV0(doc: Record<string, unknown>, fileName: string): Record<string, unknown> | string {
  const body = doc.format !== undefined && isObject(doc.decisions) ? doc.decisions : doc;
  const decisions: Decision[] = [];
  for (const [record, value] of Object.entries(body)) {
    if (!isObject(value)) return `Version 0 entry ${JSON.stringify(record)} is not an object.`;
    const verdict = V0_VERDICTS[String(value.decision).toLowerCase()];
    if (!verdict) return `Version 0 entry ${JSON.stringify(record)} has an unknown decision ${JSON.stringify(value.decision)}.`;
    const stage = value.stage === undefined ? 'title-abstract' : V0_STAGES[String(value.stage).toLowerCase()];
    if (!isStage(stage)) return `Version 0 entry ${JSON.stringify(record)} has an unknown stage ${JSON.stringify(value.stage)}.`;
    const time = v0Time(value.date);
    if (!time) return `Version 0 entry ${JSON.stringify(record)} has no valid "date".`;
    decisions.push({ record, stage, verdict, reason: nonEmpty(value.reason), note: nonEmpty(value.comment), time });
  }
  const reviewer = typeof doc.reviewer === 'string' && doc.reviewer ? doc.reviewer : fileName.replace(/\.json$/i, '') || 'unknown';
  return { format: FILE_FORMATS.decisions, version: CURRENT_VERSION, reviewer, decisions };
}

function v0Time(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) return undefined;
  const iso = new Date(ms).toISOString();
  return isIsoUtc(iso) ? iso : undefined;
}

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
