/**
 * Merging two versions of screening/review.json, as the decisions files are merged: by the git
 * merge driver (%O %A %B), when the extension finds the file holding git conflict markers, and
 * before a save when the file changed on disk since it was read.
 *
 * - Sources (by file), exclusion reasons and keywords are united: an addition on either side is
 *   kept; a removal is honoured only when the other side left that item as it was in the base
 *   (without a base nothing is removed). Order: ours, then what only theirs added.
 * - Settings (title, reviewers and whether a reason is required per stage, a source's category and
 *   name) take the side that changed them; changed differently on both sides (or different, without
 *   a base) they are a conflict: reported, never settled silently.
 */
import { hasConflictMarkers, splitConflictSides } from './entry-file';
import { readReviewConfig, serialiseReviewConfig, type ReviewConfig, type SourceConfig, type StageSettings } from './review-config';
import type { Stage } from './decision';

export interface SettingConflict {
  /** Where, for people: e.g. `stages.title-abstract.reviewers`, `sources[ovid.txt].category`. */
  setting: string;
  ours: unknown;
  theirs: unknown;
}

export interface ConfigMerge {
  /** The merge, with our value for each conflicting setting. */
  config: ReviewConfig;
  /** The same with their value for each conflicting setting (equal to `config` when there is none). */
  theirsConfig: ReviewConfig;
  conflicts: SettingConflict[];
}

const STAGES: readonly Stage[] = ['title-abstract', 'full-text'];

/** Three-way merge of review.json contents; `base` undefined means no common ancestor is known. */
export function mergeReviewConfigs(base: ReviewConfig | undefined, ours: ReviewConfig, theirs: ReviewConfig): ConfigMerge {
  const conflicts: SettingConflict[] = [];
  /** A scalar setting: [ours-side value, theirs-side value] (the same unless in conflict). */
  const scalar = <T>(setting: string, b: T | undefined, o: T | undefined, t: T | undefined, hasBase: boolean): [T | undefined, T | undefined] => {
    if (o === t) return [o, o];
    if (hasBase && o === b) return [t, t];
    if (hasBase && t === b) return [o, o];
    conflicts.push({ setting, ours: o, theirs: t });
    return [o, t];
  };
  const hasBase = base !== undefined;
  const [title, theirsTitle] = scalar('title', base?.title, ours.title, theirs.title, hasBase);

  const stagesOurs = {} as Record<Stage, StageSettings>;
  const stagesTheirs = {} as Record<Stage, StageSettings>;
  for (const stage of STAGES) {
    const b = base?.stages[stage];
    const o = ours.stages[stage];
    const t = theirs.stages[stage];
    const [reviewers, theirsReviewers] = scalar(`stages.${stage}.reviewers`, b?.reviewers, o.reviewers, t.reviewers, hasBase);
    const [required, theirsRequired] = scalar(`stages.${stage}.reasonRequired`, b?.reasonRequired, o.reasonRequired, t.reasonRequired, hasBase);
    const reasons = mergeList(b?.reasons, o.reasons, t.reasons);
    stagesOurs[stage] = { reviewers: reviewers!, reasonRequired: required!, reasons };
    stagesTheirs[stage] = { reviewers: theirsReviewers!, reasonRequired: theirsRequired!, reasons };
  }

  const keywords = {
    include: mergeList(base?.keywords.include, ours.keywords.include, theirs.keywords.include),
    exclude: mergeList(base?.keywords.exclude, ours.keywords.exclude, theirs.keywords.exclude),
  };

  const [sources, theirsSources] = mergeSources(base?.sources, ours.sources, theirs.sources, scalar);
  const build = (titleValue: string | undefined, stages: Record<Stage, StageSettings>, list: SourceConfig[]): ReviewConfig => ({
    format: ours.format,
    version: ours.version,
    ...(titleValue !== undefined ? { title: titleValue } : {}),
    sources: list,
    stages,
    keywords,
  });
  return { config: build(title, stagesOurs, sources), theirsConfig: build(theirsTitle, stagesTheirs, theirsSources), conflicts };
}

/** Reasons and keywords are compared without case or surrounding space (the reason picker treats them so). */
const wordKey = (item: string) => item.trim().toLowerCase();

/** United list: ours in order, then what only theirs added; a removal stands when the other side kept the base's item. */
function mergeList(base: readonly string[] | undefined, ours: readonly string[], theirs: readonly string[], itemKey: (item: string) => string = wordKey): string[] {
  const inBase = new Set((base ?? []).map(itemKey));
  const inOurs = new Set(ours.map(itemKey));
  const inTheirs = new Set(theirs.map(itemKey));
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (item: string) => {
    const key = itemKey(item);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(item);
  };
  for (const item of ours) if (!(base && inBase.has(itemKey(item)) && !inTheirs.has(itemKey(item)))) add(item);
  for (const item of theirs) if (!(base && inBase.has(itemKey(item)) && !inOurs.has(itemKey(item)))) add(item);
  return out;
}

type Scalar = <T>(setting: string, b: T | undefined, o: T | undefined, t: T | undefined, hasBase: boolean) => [T | undefined, T | undefined];

function mergeSources(
  base: readonly SourceConfig[] | undefined,
  ours: readonly SourceConfig[],
  theirs: readonly SourceConfig[],
  scalar: Scalar,
): [SourceConfig[], SourceConfig[]] {
  const byFile = (list: readonly SourceConfig[] | undefined) => new Map((list ?? []).map((source) => [source.file, source]));
  const b = byFile(base);
  const o = byFile(ours);
  const t = byFile(theirs);
  const same = (x: SourceConfig | undefined, y: SourceConfig | undefined) => x !== undefined && y !== undefined && x.category === y.category && x.name === y.name;
  // A source on one side only: removed by the other side, which stands only if this side left it as it was in the base.
  const removedByOther = (file: string, present: Map<string, SourceConfig>) => same(present.get(file), b.get(file));
  const files = [...new Set([...o.keys(), ...t.keys()])].filter((file) => (o.has(file) && t.has(file)) || !removedByOther(file, o.has(file) ? o : t));
  const oursOut: SourceConfig[] = [];
  const theirsOut: SourceConfig[] = [];
  for (const file of files) {
    const bs = b.get(file);
    const os = o.get(file);
    const ts = t.get(file);
    // Removed on one side, changed on the other: the change is kept (nothing dropped).
    const hasBase = base !== undefined && bs !== undefined && os !== undefined && ts !== undefined;
    const left = os ?? ts!;
    const right = ts ?? os!;
    const [category, theirsCategory] = scalar(`sources[${file}].category`, bs?.category, left.category, right.category, hasBase);
    const [name, theirsName] = scalar(`sources[${file}].name`, bs?.name, left.name, right.name, hasBase);
    const source = (c: SourceConfig['category'] | undefined, n: string | undefined): SourceConfig => ({ file, category: c!, ...(n !== undefined ? { name: n } : {}) });
    oursOut.push(source(category, name));
    theirsOut.push(source(theirsCategory, theirsName));
  }
  return [oursOut, theirsOut];
}

/** How a conflict reads in a message: `stages.title-abstract.reviewers: 2 here, 1 in the other version`. */
export function describeSettingConflict(conflict: SettingConflict): string {
  const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));
  return `${conflict.setting}: ${show(conflict.ours)} on one side, ${show(conflict.theirs)} on the other`;
}

/**
 * review.json text for a merge: plain when there is no conflict, else with git conflict markers
 * around just the conflicting lines, so the file says what is left to settle (and the extension,
 * reading it, recovers everything else).
 */
export function serialiseConfigMerge(merge: ConfigMerge, labels: { ours: string; theirs: string } = { ours: 'ours', theirs: 'theirs' }): string {
  const ours = serialiseReviewConfig(merge.config);
  if (merge.conflicts.length === 0) return ours;
  return markConflicts(ours.split('\n'), serialiseReviewConfig(merge.theirsConfig).split('\n'), labels).join('\n');
}

/** Line diff (longest common subsequence; review.json files are small) with git-style hunks. */
function markConflicts(a: readonly string[], b: readonly string[], labels: { ours: string; theirs: string }): string[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(a[i]);
      i++;
      j++;
      continue;
    }
    const left: string[] = [];
    const right: string[] = [];
    while ((i < n || j < m) && !(i < n && j < m && a[i] === b[j])) {
      if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) left.push(a[i++]);
      else right.push(b[j++]);
    }
    out.push(`<<<<<<< ${labels.ours}`, ...left, '=======', ...right, `>>>>>>> ${labels.theirs}`);
  }
  return out;
}

export type ReviewTextRead =
  | { status: 'ok'; config: ReviewConfig }
  /** Git conflict markers: both sides read and merged; `conflicts` lists the settings left to choose. */
  | { status: 'conflicted'; config: ReviewConfig; conflicts: SettingConflict[]; parts: number }
  | { status: 'invalid'; line: number; message: string };

/** Reads review.json, recovering a file holding git conflict markers (both sides merged). */
export function readReviewText(text: string): ReviewTextRead {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const sides = hasConflictMarkers(body) ? splitConflictSides(body) : undefined;
  if (!sides || sides.conflicts === 0) {
    const read = readReviewConfig(body);
    return read.ok ? { status: 'ok', config: read.config } : { status: 'invalid', line: read.line, message: read.message };
  }
  const ours = readReviewConfig(sides.ours.join('\n'));
  const theirs = readReviewConfig(sides.theirs.join('\n'));
  const side = !ours.ok ? ours : !theirs.ok ? theirs : undefined;
  if (side && !side.ok) {
    return { status: 'invalid', line: 0, message: `Holds git conflict markers, and one side cannot be read (${side.message.replace(/\.$/, '')}).` };
  }
  if (!ours.ok || !theirs.ok) throw new Error('unreachable');
  const base = sides.base ? readReviewConfig(sides.base.join('\n')) : undefined;
  const merged = mergeReviewConfigs(base?.ok ? base.config : undefined, ours.config, theirs.config);
  return { status: 'conflicted', config: merged.config, conflicts: merged.conflicts, parts: sides.conflicts };
}

export type ReviewMergeResult = { ok: true; text: string; conflicts: SettingConflict[] } | { ok: false; message: string };

/** The merge driver's work for review.json: BASE, OURS, THEIRS (any may hold conflict markers). */
export function mergeReviewTexts(baseText: string | undefined, oursText: string, theirsText: string): ReviewMergeResult {
  const read = (text: string, label: string) => {
    const outcome = readReviewText(text);
    if (outcome.status === 'invalid') return { error: `${label}: ${outcome.line > 0 ? `line ${outcome.line}: ` : ''}${outcome.message}` };
    return { outcome };
  };
  const ours = read(oursText, 'our version');
  const theirs = read(theirsText, 'their version');
  const base = baseText === undefined || baseText.trim() === '' ? undefined : read(baseText, 'base version');
  for (const side of [ours, theirs, base]) if (side && 'error' in side) return { ok: false, message: side.error! };
  const oursRead = ours.outcome!;
  const theirsRead = theirs.outcome!;
  for (const [side, label] of [
    [oursRead, 'our version'],
    [theirsRead, 'their version'],
  ] as const) {
    if (side.status === 'conflicted' && side.conflicts.length > 0) {
      return { ok: false, message: `${label} still holds a settings conflict from an earlier merge (${side.conflicts.map(describeSettingConflict).join('; ')}): settle it first.` };
    }
  }
  // A side that already held conflict markers has no trustworthy base: a union then.
  const baseConfig = base?.outcome?.status === 'ok' && oursRead.status === 'ok' && theirsRead.status === 'ok' ? base.outcome.config : undefined;
  const merged = mergeReviewConfigs(baseConfig, oursRead.config, theirsRead.config);
  return { ok: true, text: serialiseConfigMerge(merged), conflicts: merged.conflicts };
}

/** Whether a text is a review.json (rather than a decisions or resolutions file). */
export function isReviewConfigText(text: string): boolean {
  return /"format"\s*:\s*"sr-screening-review"/.test(text);
}
