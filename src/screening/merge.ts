/**
 * Merging two versions of a decisions (or resolutions) file, entry by entry. Used by the git merge
 * driver, by the recovery of files holding conflict markers, and before every save when the file
 * changed on disk since it was read.
 *
 * Per record and stage: an entry changed on one side only takes that side (including a deletion,
 * e.g. an undo); changed on both sides, the later `time` wins; changed on one side and deleted on
 * the other, the change is kept. Without a base (conflict markers) every entry of either side is
 * kept, the later of two versions winning. Nothing else is ever dropped.
 */
import { entryKey, type Entry } from './decision';
import {
  FILE_FORMATS,
  laterEntry,
  readEntryFile,
  sameEntry,
  serialiseEntryFile,
  type EntryFileHeader,
  type EntryFileKind,
  type EntryTypes,
  type ReadOutcome,
} from './entry-file';

export function keyed<E extends Entry>(entries: Iterable<E>): Map<string, E> {
  const map = new Map<string, E>();
  for (const entry of entries) map.set(entryKey(entry.record, entry.stage), entry);
  return map;
}

/** Three-way merge by key. `base` undefined means "no common ancestor known": a union. */
export function mergeEntries<K extends EntryFileKind>(
  kind: K,
  base: Pick<ReadonlyMap<string, EntryTypes[K]>, 'get'> | undefined,
  ours: ReadonlyMap<string, EntryTypes[K]>,
  theirs: ReadonlyMap<string, EntryTypes[K]>,
): Map<string, EntryTypes[K]> {
  const merged = new Map<string, EntryTypes[K]>();
  const keys = new Set<string>([...ours.keys(), ...theirs.keys()]);
  for (const key of keys) {
    const chosen = mergeOne(kind, base?.get(key), ours.get(key), theirs.get(key), base !== undefined);
    if (chosen !== undefined) merged.set(key, chosen);
  }
  return merged;
}

function mergeOne<E extends Entry>(kind: EntryFileKind, b: E | undefined, o: E | undefined, t: E | undefined, hasBase: boolean): E | undefined {
  if (sameEntry(o, t)) return o;
  if (hasBase) {
    if (sameEntry(o, b)) return t; // only theirs changed (or deleted)
    if (sameEntry(t, b)) return o; // only ours changed (or deleted)
  }
  if (o === undefined) return t;
  if (t === undefined) return o;
  return laterEntry(kind, o, t);
}

/** Which kind of entry file a text is, from its format name (decisions when unsure). */
export function entryFileKindOf(text: string): EntryFileKind {
  return text.includes(`"format":"${FILE_FORMATS.resolutions}"`) || /"format"\s*:\s*"sr-screening-resolutions"/.test(text) ? 'resolutions' : 'decisions';
}

export type MergeTextResult = { ok: true; text: string; kind: EntryFileKind; entries: number } | { ok: false; message: string };

/**
 * The merge driver's work: merges the three versions git hands over (%O %A %B). Any of them may
 * hold conflict markers (a conflicted file committed earlier): their sides are recovered first.
 * Refuses (so git reports a conflict and keeps the files) when a version is unreadable or newer
 * than this build.
 */
export function mergeFileTexts(baseText: string | undefined, oursText: string, theirsText: string, fileName = ''): MergeTextResult {
  const kind = entryFileKindOf(oursText.trim() ? oursText : theirsText);
  const read = (text: string | undefined, label: string): ReadOutcome<typeof kind> | { status: 'missing' } | { status: 'error'; message: string } => {
    if (text === undefined || text.trim() === '') return { status: 'missing' };
    const outcome = readEntryFile(kind, text, fileName);
    if (outcome.status === 'invalid') return { status: 'error', message: `${label}: line ${outcome.line}: ${outcome.message}` };
    if (outcome.status === 'newer') return { status: 'error', message: `${label}: ${outcome.message}` };
    return outcome;
  };
  const base = read(baseText, 'base version');
  const ours = read(oursText, 'our version');
  const theirs = read(theirsText, 'their version');
  for (const side of [ours, theirs, base]) if (side.status === 'error') return { ok: false, message: side.message };
  const entriesOf = (side: typeof ours) => ('entries' in side ? keyed<EntryTypes[typeof kind]>(side.entries) : new Map());
  const header: EntryFileHeader = ('header' in ours ? ours.header : undefined) ?? ('header' in theirs ? theirs.header : undefined) ?? {};
  // A side that already held conflict markers has no trustworthy base: fall back to a union.
  const baseUsable = base.status === 'ok' && ours.status !== 'conflicted' && theirs.status !== 'conflicted';
  const merged = mergeEntries(kind, baseUsable ? entriesOf(base) : base.status === 'missing' ? new Map() : undefined, entriesOf(ours), entriesOf(theirs));
  return { ok: true, kind, text: serialiseEntryFile(kind, header, [...merged.values()]), entries: merged.size };
}
