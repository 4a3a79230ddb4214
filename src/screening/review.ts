/**
 * A review on disk: its records (imported from the sources), duplicates, every reviewer's
 * decisions, the adjudicated resolutions, and what follows from them (status per record,
 * conflicts, agreement, PRISMA counts). The one door through which decisions are recorded.
 *
 *   <root>/screening/review.json              sources, stage settings, reasons, keywords (optional)
 *   <root>/screening/decisions/<reviewer>.json one file per reviewer
 *   <root>/screening/resolutions.json         adjudicated disagreements
 *
 * No VS Code here: I/O goes through a ReviewFileSystem; the extension's file watcher calls
 * `reload(path)` on changes made outside (git pull, checkout, another window).
 */
import { join, relative, resolve } from 'node:path';
import { agreementReport, groupAgreement, type GroupAgreement, type PairAgreement } from './agreement';
import {
  entryKey,
  isStage,
  isVerdict,
  keyRecord,
  timeAfter,
  verdictAllowed,
  type Decision,
  type Entry,
  type Resolution,
  type Stage,
  type Verdict,
} from './decision';
import { Emitter, type Disposable, type Event } from './emitter';
import { EntryStore, type StoreIssue } from './entry-store';
import { laterEntry, sameEntry, type EntryFileKind } from './entry-file';
import { applyDuplicateDecisions, type DuplicateRecord, type FileSummary, type ImportInput, type ImportOutcome, type PossibleDuplicate } from './import-records';
import { latestByPair, pairKey, readDuplicateDecisions, serialiseDuplicateDecisions, type DuplicateDecision } from './duplicate-decisions';
import { computePrisma, type PrismaCounts } from './prisma';
import type { BibRecord, ImportProblem } from './record';
import {
  branchOf,
  defaultConfig,
  defaultSource,
  isDefaultSourceName,
  serialiseReviewConfig,
  type ReviewConfig,
  type SourceConfig,
} from './review-config';
import { describeSettingConflict, mergeReviewConfigs, readReviewText, type SettingConflict } from './review-merge';
import { nodeFileSystem, sameStamp, toReviewPath, type FileStamp, type ReviewFileSystem } from './review-fs';
import { fileSafeReviewerId, isFormerReviewerFileName, resolveReviewerId, type GitRunner } from './reviewer';
import { conflictOf, evaluateStage, recordStatus, type Conflict, type RecordStatus, type StageOutcome } from './status';
import { validator, describeError } from './schemas';

export const SCREENING_DIR = 'screening';
export const REVIEW_FILE = 'screening/review.json';
export const DECISIONS_DIR = 'screening/decisions';
export const RESOLUTIONS_FILE = 'screening/resolutions.json';
export const DUPLICATES_FILE = 'screening/duplicates.json';

export interface ReviewOptions {
  fs?: ReviewFileSystem;
  /** Reviewer id to use instead of git's user.email / user.name. */
  reviewer?: string;
  /** Reviewer id when git has none (the extension's setting). */
  reviewerFallback?: string;
  /**
   * The import pipeline (defaults to importFiles); may be asynchronous (e.g. in a worker thread) and
   * cancellable: `signal` is saveConfig's, and a cancelled import rejects.
   */
  importer?: (inputs: ImportInput[], signal?: AbortSignal) => ImportOutcome | Promise<ImportOutcome>;
  /** Records already imported: the sources are not read (benchmarks, tests, a cached import). */
  outcome?: ImportOutcome;
  git?: GitRunner;
  /** Clock, for tests. */
  now?: () => Date;
}

export type ReviewChange =
  | { kind: 'decisions'; reviewer: string; records: string[]; external: boolean }
  | { kind: 'resolutions'; records: string[]; external: boolean }
  | { kind: 'config' }
  | { kind: 'records' }
  /** The problems with the review's files changed (one became unreadable, or was fixed). */
  | { kind: 'issues' };

export interface ReviewIssue {
  /** Relative to the review root. */
  file: string;
  line: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

export class ReviewError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReviewError';
  }
}

/** Records imported from a review's sources, not yet the review's (Review.applyRecords). */
interface LoadedRecords {
  outcome: ImportOutcome;
  /** The sources found, for a folder without review.json. */
  sources?: SourceConfig[];
  /** When each source file was read (undefined for records given by the caller). */
  stamps?: Map<string, FileStamp | undefined>;
  issues: ReviewIssue[];
}

interface UndoStep {
  kind: EntryFileKind;
  key: string;
  previous: Entry | undefined;
  next: Entry;
}

export class Review implements Disposable {
  config: ReviewConfig;
  /** Whether screening/review.json exists and was read (else `config` holds the inferred defaults). */
  configExists = false;
  /**
   * Why screening/review.json must not be written now (it exists but could not be read, or holds a
   * git conflict on a setting), else undefined. saveConfig refuses while this is set, so a file
   * that was not understood is never replaced by defaults.
   */
  configBlocked: string | undefined;
  records: BibRecord[] = [];
  duplicates: DuplicateRecord[] = [];
  problems: ImportProblem[] = [];
  files: FileSummary[] = [];
  /** Pairs that may be one paper, for a person to decide (never merged until then). */
  possibleDuplicates: PossibleDuplicate[] = [];

  private readonly changes = new Emitter<ReviewChange>();
  readonly onDidChange: Event<ReviewChange> = this.changes.event;

  private readonly fs: ReviewFileSystem;
  private readonly now: () => Date;
  private configIssues: ReviewIssue[] = [];
  private sourceIssues: ReviewIssue[] = [];
  private configStamp: FileStamp | undefined;
  /** review.json as last read or written (the base of a merge when it changed on disk since). */
  private configOnDisk: ReviewConfig | undefined;
  private sourceStamps = new Map<string, FileStamp | undefined>();
  private recordById = new Map<string, BibRecord>();
  /** Decisions by reviewer key (the file name of the reviewer's id, fileSafeReviewerId). */
  private stores = new Map<string, EntryStore<'decisions'>>();
  /**
   * Files named by the former scheme (no hash; different ids could share one), by file name stem: read,
   * attributed to the reviewer their header names, merged into that reviewer's decisions, never written.
   */
  private formerFiles = new Map<string, EntryStore<'decisions'>>();
  private resolutionStore!: EntryStore<'resolutions'>;
  private statusCache = new Map<string, RecordStatus>();
  private undoStack: UndoStep[] = [];
  /** The import as detected, before the duplicate decisions are applied. */
  private imported: ImportOutcome = { records: [], duplicates: [], problems: [], files: [] };
  private duplicateDecisions = new Map<string, DuplicateDecision>();
  private duplicateIssues: ReviewIssue[] = [];
  private duplicatesReadOnly = false;
  private duplicateById = new Map<string, DuplicateRecord>();
  private gitignoreChecked = false;

  private constructor(
    /** Absolute path of the review root (the folder holding screening/). */
    readonly root: string,
    /** The current reviewer's id. */
    readonly reviewer: string,
    private readonly options: ReviewOptions,
  ) {
    this.fs = options.fs ?? nodeFileSystem;
    this.now = options.now ?? (() => new Date());
    this.config = defaultConfig();
  }

  /** Opens the review rooted at `dir` (a folder with or without screening/review.json). */
  static async load(dir: string, options: ReviewOptions = {}): Promise<Review> {
    const root = resolve(dir);
    const reviewer = await resolveReviewerId(root, { override: options.reviewer, fallback: options.reviewerFallback, run: options.git });
    const review = new Review(root, reviewer, options);
    await review.loadConfig();
    await review.loadRecords(options.outcome);
    await review.loadDecisions();
    return review;
  }

  /** The current reviewer's key: the decisions file name without .json. */
  get reviewerKey(): string {
    return fileSafeReviewerId(this.reviewer);
  }

  path(relativePath: string): string {
    return join(this.root, ...relativePath.split('/'));
  }

  // -------------------------------------------------------------------------------------------
  // Loading

  private async loadConfig(): Promise<void> {
    this.configIssues = [];
    this.configBlocked = undefined;
    this.configOnDisk = undefined;
    const read = await this.fs.readText(this.path(REVIEW_FILE));
    this.configStamp = read?.stamp;
    this.configExists = read !== undefined;
    if (!read) {
      this.config = defaultConfig(this.config.sources);
      return;
    }
    const parsed = readReviewText(read.text);
    if (parsed.status === 'invalid') {
      this.configBlocked = `${REVIEW_FILE} could not be read (${parsed.line > 0 ? `line ${parsed.line}: ` : ''}${parsed.message.replace(/\.$/, '')})`;
      this.configIssues.push({
        file: REVIEW_FILE,
        line: parsed.line,
        severity: 'error',
        message: `${parsed.message} Defaults are used until it is fixed; the file is not written until then.`,
      });
      this.configExists = false;
      this.config = defaultConfig(this.config.sources);
      return;
    }
    this.config = parsed.config;
    if (parsed.status === 'ok') {
      this.configOnDisk = parsed.config;
      return;
    }
    this.configIssues.push(this.conflictIssue(parsed.parts, parsed.conflicts));
    if (parsed.conflicts.length > 0) {
      this.configBlocked = `${REVIEW_FILE} holds a git conflict on ${parsed.conflicts.length === 1 ? 'a setting' : 'settings'} (${parsed.conflicts.map(describeSettingConflict).join('; ')}): choose in the file first`;
    } else {
      this.configOnDisk = parsed.config;
    }
  }

  private conflictIssue(parts: number, conflicts: readonly SettingConflict[]): ReviewIssue {
    const recovered = `Holds git conflict markers (${parts} conflicting ${parts === 1 ? 'part' : 'parts'}): both sides were recovered and merged (sources, exclusion reasons and keywords united).`;
    if (conflicts.length === 0) return { file: REVIEW_FILE, line: 0, severity: 'warning', message: `${recovered} The next change of settings writes the merged file.` };
    return {
      file: REVIEW_FILE,
      line: 0,
      severity: 'error',
      message:
        `${recovered} Settings differ between the two sides: ${conflicts.map(describeSettingConflict).join('; ')}. ` +
        'The first side’s values are used; settings changes are refused until you choose in the file and remove the markers.',
    };
  }

  private async loadRecords(given?: ImportOutcome): Promise<void> {
    this.applyRecords(await this.importRecords(this.configExists ? this.config.sources : undefined, given));
  }

  /**
   * Imports `sources` (undefined: the default sources of a folder without review.json) without
   * changing the review; applyRecords() then makes the result the review's records. `signal` cancels
   * the import (it rejects).
   */
  private async importRecords(sources: readonly SourceConfig[] | undefined, given?: ImportOutcome, signal?: AbortSignal): Promise<LoadedRecords> {
    if (given) return { outcome: given, sources: sources ? undefined : given.files.map((file) => defaultSource(file.file, file.format)), issues: [] };
    const files = sources ? sources.map((source) => source.file) : await this.defaultSourceFiles();
    const { inputs, stamps, issues } = await this.readInputs(files);
    // Loaded on first use: the parsers are the bulk of the code, and callers with records at hand skip them.
    const importer = this.options.importer ?? (await import('./import-records')).importFiles;
    let outcome = await importer(inputs, signal);
    if (sources) return { outcome, stamps, issues };
    // Import databases and registers first, so a record found both there and by other
    // methods is kept in the databases branch (PRISMA's duplicates box).
    const found = outcome.files.map((file) => defaultSource(file.file, file.format));
    const ordered = [...found].sort((a, b) => rank(a) - rank(b));
    if (ordered.some((source, i) => source !== found[i])) {
      const byFile = new Map(inputs.map((input) => [input.file, input]));
      outcome = await importer(ordered.map((source) => byFile.get(source.file)!).filter(Boolean), signal);
    }
    return { outcome, sources: ordered, stamps, issues };
  }

  private applyRecords(loaded: LoadedRecords): void {
    const { outcome } = loaded;
    if (loaded.sources) this.config = { ...this.config, sources: loaded.sources };
    this.sourceIssues = loaded.issues;
    if (loaded.stamps) this.sourceStamps = loaded.stamps;
    this.imported = outcome;
    this.problems = outcome.problems;
    this.files = outcome.files;
    this.regroup();
  }

  /** Records, duplicates and the queue from the import and the team's duplicate decisions (which win). */
  private regroup(): void {
    const grouped = applyDuplicateDecisions(this.imported, [...this.duplicateDecisions.values()].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0)));
    this.records = grouped.records;
    this.duplicates = grouped.duplicates;
    this.possibleDuplicates = grouped.possible ?? [];
    this.recordById = new Map(grouped.records.map((record) => [record.id, record]));
    this.duplicateById = new Map(grouped.duplicates.map((record) => [record.id, record]));
    this.statusCache.clear();
  }

  private async loadDuplicateDecisions(): Promise<void> {
    this.duplicateIssues = [];
    this.duplicatesReadOnly = false;
    const read = await this.fs.readText(this.path(DUPLICATES_FILE));
    if (!read) {
      this.duplicateDecisions = new Map();
      return;
    }
    const parsed = readDuplicateDecisions(read.text);
    if (parsed.status === 'invalid') {
      this.duplicatesReadOnly = true;
      this.duplicateIssues.push({ file: DUPLICATES_FILE, line: parsed.line, severity: 'error', message: `${parsed.message} It is not used, and never overwritten, until it is fixed.` });
      this.duplicateDecisions = new Map();
      return;
    }
    if (parsed.status === 'newer') this.duplicatesReadOnly = true;
    if (parsed.status !== 'ok') this.duplicateIssues.push({ file: DUPLICATES_FILE, line: 0, severity: 'warning', message: parsed.message });
    else for (const warning of parsed.warnings) this.duplicateIssues.push({ file: DUPLICATES_FILE, line: 0, severity: 'warning', message: warning });
    this.duplicateDecisions = latestByPair(parsed.decisions);
  }

  private async readInputs(files: readonly string[]): Promise<{ inputs: ImportInput[]; stamps: Map<string, FileStamp | undefined>; issues: ReviewIssue[] }> {
    const inputs: ImportInput[] = [];
    const stamps = new Map<string, FileStamp | undefined>();
    const issues: ReviewIssue[] = [];
    for (const file of files) {
      const path = this.path(file);
      const stamp = await this.fs.stat(path);
      stamps.set(file, stamp);
      if (!stamp) {
        issues.push({ file, line: 0, severity: 'error', message: `Source ${file} (listed in ${REVIEW_FILE}) does not exist.` });
        continue;
      }
      inputs.push({ file, bytes: await this.fs.readBytes(path) });
    }
    return { inputs, stamps, issues };
  }

  /** Every file under the root except dot-entries, screening/, node_modules/ and project files. */
  private async defaultSourceFiles(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string, prefix: string): Promise<void> => {
      const entries = (await this.fs.readDir(dir)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        if (entry.kind === 'other' || !isDefaultSourceName(entry.name, entry.kind === 'directory')) continue;
        if (entry.kind === 'directory') await walk(join(dir, entry.name), `${prefix}${entry.name}/`);
        else out.push(`${prefix}${entry.name}`);
      }
    };
    await walk(this.root, '');
    return out;
  }

  private async loadDecisions(): Promise<void> {
    const dir = this.path(DECISIONS_DIR);
    await this.fs.cleanTemporaryFiles?.(dir);
    await this.fs.cleanTemporaryFiles?.(this.path(SCREENING_DIR));
    this.stores.clear();
    this.formerFiles.clear();
    for (const name of await this.decisionFileNames()) {
      const key = name.slice(0, -'.json'.length);
      if (isFormerReviewerFileName(key)) this.formerFiles.set(key, await this.openFormerFile(key));
      else await this.openStore(key);
    }
    this.ownStore();
    this.attachFormerFiles();
    this.resolutionStore = await EntryStore.open('resolutions', this.path(RESOLUTIONS_FILE), this.fs, {}, (keys) => this.externalResolutions(keys));
    await this.loadDuplicateDecisions();
    if (this.duplicateDecisions.size > 0) this.regroup();
    this.stores.get(this.reviewerKey)!.prepareWrites();
    this.rebuildIndex();
  }

  /** The current reviewer's store, created (empty, not yet on disk) when there is no file. */
  private ownStore(): EntryStore<'decisions'> {
    let store = this.stores.get(this.reviewerKey);
    if (!store) {
      const path = join(this.path(DECISIONS_DIR), `${this.reviewerKey}.json`);
      store = new EntryStore('decisions', path, this.fs, { reviewer: this.reviewer }, (keys) => this.externalDecisions(this.reviewerKey, keys), this.reviewer);
      this.stores.set(this.reviewerKey, store);
    }
    return store;
  }

  private async decisionFileNames(): Promise<string[]> {
    return (await this.fs.readDir(this.path(DECISIONS_DIR)))
      .filter((entry) => entry.kind === 'file' && entry.name.endsWith('.json') && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort();
  }

  private async openStore(key: string): Promise<EntryStore<'decisions'>> {
    const own = key === this.reviewerKey;
    const header = { reviewer: own ? this.reviewer : key };
    const store = await EntryStore.open(
      'decisions',
      join(this.path(DECISIONS_DIR), `${key}.json`),
      this.fs,
      header,
      (keys) => this.externalDecisions(key, keys),
      own ? this.reviewer : undefined,
    );
    this.stores.set(key, store);
    return store;
  }

  private async openFormerFile(key: string): Promise<EntryStore<'decisions'>> {
    return EntryStore.open('decisions', join(this.path(DECISIONS_DIR), `${key}.json`), this.fs, { reviewer: key }, () => undefined);
  }

  /**
   * Merges each file of the former naming scheme into the decisions of the reviewer its header names
   * (the later of two decisions for a record and stage wins): the current reviewer's are written into
   * their own file on the next save, so nothing is lost; another reviewer with no file of the new scheme
   * yet is read from the old file itself. The old files are never written or deleted: a clone that still
   * writes them (an older version of the extension) keeps merging in. Returns the reviewer keys changed.
   */
  private attachFormerFiles(): Map<string, string[]> {
    const changed = new Map<string, string[]>();
    for (const [name, former] of this.formerFiles) {
      if (former.state === 'invalid') continue;
      const reviewer = former.header.reviewer ?? name;
      const key = fileSafeReviewerId(reviewer);
      const target = this.stores.get(key);
      if (!target) {
        this.stores.set(key, former);
        changed.set(key, [...former.keys()]);
        continue;
      }
      if (target === former) continue;
      const keys: string[] = [];
      for (const entry of former.values()) {
        const entryId = entryKey(entry.record, entry.stage);
        const current = target.getByKey(entryId);
        if (current && (sameEntry(current, entry) || laterEntry('decisions', current, entry) === current)) continue;
        target.restore(entryId, entry);
        keys.push(entryId);
      }
      if (keys.length > 0) changed.set(key, keys);
    }
    return changed;
  }

  private rebuildIndex(): void {
    this.statusCache.clear();
  }

  /** Forgets the status of the records of these keys; returns the record ids. */
  private indexKeys(keys: Iterable<string>): string[] {
    const records = new Set<string>();
    for (const key of keys) {
      const record = keyRecord(key);
      records.add(record);
      this.statusCache.delete(record);
    }
    return [...records];
  }

  /** Every reviewer's decision for one record and stage, or undefined when none. */
  private decisionsFor(key: string): Map<string, Decision> | undefined {
    let found: Map<string, Decision> | undefined;
    for (const [reviewer, store] of this.stores) {
      const decision = store.getByKey(key);
      if (decision) (found ??= new Map()).set(reviewer, decision);
    }
    return found;
  }

  private externalDecisions(reviewer: string, keys: ReadonlySet<string>): void {
    const records = this.indexKeys(keys);
    this.changes.fire({ kind: 'decisions', reviewer, records, external: true });
  }

  private externalResolutions(keys: ReadonlySet<string>): void {
    const records = [...new Set([...keys].map(keyRecord))];
    for (const record of records) this.statusCache.delete(record);
    this.changes.fire({ kind: 'resolutions', records, external: true });
  }

  // -------------------------------------------------------------------------------------------
  // Reading state

  /** Problems with the review's files: unreadable, newer, recovered from conflict markers, missing sources. */
  get issues(): ReviewIssue[] {
    const fromStore = (store: EntryStore<EntryFileKind>): ReviewIssue[] =>
      store.issues.map((issue: StoreIssue) => ({ file: this.relative(store.path), ...issue }));
    const issues = [...this.configIssues, ...this.sourceIssues, ...this.duplicateIssues];
    for (const store of this.stores.values()) if (![...this.formerFiles.values()].includes(store)) issues.push(...fromStore(store));
    for (const former of this.formerFiles.values()) {
      issues.push(...fromStore(former));
      if (former.state === 'invalid') continue;
      const key = fileSafeReviewerId(former.header.reviewer ?? '');
      issues.push({
        file: this.relative(former.path),
        line: 0,
        severity: 'info',
        message:
          `Named by the former scheme, which let different reviewer ids share a file: read as the decisions of ${JSON.stringify(former.header.reviewer)}` +
          `${key === this.reviewerKey ? `, merged into ${DECISIONS_DIR}/${key}.json on your next decision` : ''}. It is not written again; remove it (git rm) once every clone uses this version.`,
      });
    }
    issues.push(...fromStore(this.resolutionStore));
    return issues;
  }

  /**
   * The review's own files (review.json, decisions files, resolutions.json) that cannot be read, with
   * line and reason. What they hold is missing from every count, conflict and agreement until they are
   * fixed (an unreadable review.json: its settings, replaced by the defaults), so reports must say so.
   */
  get unreadable(): ReviewIssue[] {
    return this.issues.filter((issue) => issue.severity === 'error' && issue.file.startsWith(`${SCREENING_DIR}/`) && !this.isNewerOnly(issue));
  }

  /** A file written by a newer version is read (read-only), not unreadable. */
  private isNewerOnly(issue: ReviewIssue): boolean {
    if (issue.file === REVIEW_FILE) return false;
    const store = issue.file === RESOLUTIONS_FILE ? this.resolutionStore : [...this.stores.values()].find((candidate) => this.relative(candidate.path) === issue.file);
    return store?.state === 'newer' || store?.state === 'foreign';
  }

  /** Reviewer keys (decisions file names without .json) that have a decisions file, plus the current reviewer. */
  reviewers(): string[] {
    return [...this.stores.keys()].sort();
  }

  /** Absolute path of the decisions file a reviewer's decisions are read from (the current reviewer's: written to). */
  decisionsFile(reviewerKey: string = this.reviewerKey): string {
    return this.stores.get(reviewerKey)?.path ?? join(this.path(DECISIONS_DIR), `${reviewerKey}.json`);
  }

  /** The reviewer id written in a reviewer's file (e.g. the e-mail address). */
  reviewerName(reviewerKey: string): string {
    return this.stores.get(reviewerKey)?.header.reviewer ?? reviewerKey;
  }

  /** A reviewer's decisions in file order (the current reviewer's by default). */
  decisions(reviewerKey: string = this.reviewerKey): Decision[] {
    return this.stores.get(reviewerKey)?.list() ?? [];
  }

  decision(record: string, stage: Stage, reviewerKey: string = this.reviewerKey): Decision | undefined {
    return this.stores.get(reviewerKey)?.get(record, stage);
  }

  resolutions(): Resolution[] {
    return this.resolutionStore.list();
  }

  resolution(record: string, stage: Stage): Resolution | undefined {
    return this.resolutionStore.get(record, stage);
  }

  record(id: string): BibRecord | undefined {
    return this.recordById.get(id);
  }

  /** A record linked as a duplicate of another, by id. */
  duplicate(id: string): DuplicateRecord | undefined {
    return this.duplicateById.get(id);
  }

  /** The team's decision about two records, if any. */
  duplicateDecision(a: string, b: string): DuplicateDecision | undefined {
    return this.duplicateDecisions.get(pairKey(a, b));
  }

  /** Every decision in screening/duplicates.json (the latest per pair). */
  listDuplicateDecisions(): DuplicateDecision[] {
    return [...this.duplicateDecisions.values()];
  }

  /**
   * Every reviewer's decisions about a record that is now a duplicate: they stay in the decisions
   * files (never dropped) and are shown with it.
   */
  decisionsOnDuplicate(id: string): Decision[] {
    const out: Decision[] = [];
    for (const store of this.stores.values()) for (const stage of ['title-abstract', 'full-text'] as const) {
      const decision = store.get(id, stage);
      if (decision) out.push(decision);
    }
    return out;
  }

  /**
   * Records the team's decision that two records are one paper ('duplicate', optionally keeping
   * `keep`) or two ('distinct'), in screening/duplicates.json; it overrides the automatic result.
   * Resolves once it is on disk. Changes made to the file outside since it was read are merged.
   */
  async decideDuplicate(a: string, b: string, verdict: 'duplicate' | 'distinct', keep?: string): Promise<DuplicateDecision> {
    const known = (id: string) => this.recordById.has(id) || this.duplicateById.has(id);
    if (a === b) throw new ReviewError('A record cannot be a duplicate of itself.');
    for (const id of [a, b]) if (!known(id)) throw new ReviewError(`Unknown record ${id}.`);
    if (keep !== undefined && keep !== a && keep !== b) throw new ReviewError(`The record to keep must be one of the two (${a}, ${b}).`);
    if (this.duplicatesReadOnly) throw new ReviewError(this.duplicateIssues[0]?.message ?? `${DUPLICATES_FILE} cannot be written.`);
    const previous = this.duplicateDecisions.get(pairKey(a, b));
    const decision: DuplicateDecision = {
      records: a < b ? [a, b] : [b, a],
      verdict,
      keep: verdict === 'duplicate' ? (keep ?? null) : null,
      by: this.reviewer,
      time: timeAfter(previous?.time, this.now()),
    };
    // Merge what is on disk (a pull, another window) before writing, never clobber it.
    const onDisk = await this.fs.readText(this.path(DUPLICATES_FILE));
    const merged = new Map(this.duplicateDecisions);
    if (onDisk) {
      const read = readDuplicateDecisions(onDisk.text);
      if (read.status === 'invalid' || read.status === 'newer') throw new ReviewError(`${DUPLICATES_FILE}: ${read.message}`);
      for (const [key, value] of latestByPair([...merged.values(), ...read.decisions])) merged.set(key, value);
    }
    merged.set(pairKey(a, b), decision);
    await this.ensureGitignore();
    await this.fs.writeAtomic(this.path(DUPLICATES_FILE), serialiseDuplicateDecisions(merged.values()));
    this.duplicateDecisions = merged;
    this.regroup();
    this.changes.fire({ kind: 'records' });
    return decision;
  }

  /** Whether the current reviewer's file can be written (not newer than this build, not unreadable). */
  get writable(): boolean {
    return !(this.stores.get(this.reviewerKey)?.readOnly ?? false);
  }

  status(recordId: string): RecordStatus {
    let status = this.statusCache.get(recordId);
    if (!status) {
      status = recordStatus(recordId, {
        needed: { 'title-abstract': this.config.stages['title-abstract'].reviewers, 'full-text': this.config.stages['full-text'].reviewers },
        decisions: (stage) => this.decisionsFor(entryKey(recordId, stage)),
        resolution: (stage) => this.resolutionStore.get(recordId, stage),
      });
      this.statusCache.set(recordId, status);
    }
    return status;
  }

  /** Disagreements between reviewers, unresolved ones only unless `includeResolved`. */
  conflicts(options: { stage?: Stage; includeResolved?: boolean } = {}): Conflict[] {
    const out: Conflict[] = [];
    for (const record of this.records) {
      const status = this.status(record.id);
      for (const stageStatus of [status.titleAbstract, status.fullText]) {
        if (options.stage && stageStatus.stage !== options.stage) continue;
        const conflict = conflictOf(stageStatus, record.id);
        if (conflict && (options.includeResolved || !conflict.resolution)) out.push(conflict);
      }
    }
    return out;
  }

  counts(): PrismaCounts {
    const identified = new Map(this.files.map((file) => [file.file, file.records]));
    // Cheap per-record outcomes (no per-reviewer detail), in reviewer order like status().
    const stores = [...this.stores].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, store]) => store);
    const needed = this.config.stages;
    const found: Decision[] = [];
    const decisionsAt = (key: string): Decision[] => {
      found.length = 0;
      for (const store of stores) {
        const decision = store.getByKey(key);
        if (decision) found.push(decision);
      }
      return found;
    };
    const outcome = (recordId: string) => {
      const cached = this.statusCache.get(recordId);
      if (cached) return cached;
      const taKey = entryKey(recordId, 'title-abstract');
      const titleAbstract = evaluateStage('title-abstract', needed['title-abstract'].reviewers, decisionsAt(taKey), this.resolutionStore.getByKey(taKey));
      if (titleAbstract.state !== 'included') return { titleAbstract, fullText: NOT_APPLICABLE };
      const ftKey = entryKey(recordId, 'full-text');
      return { titleAbstract, fullText: evaluateStage('full-text', needed['full-text'].reviewers, decisionsAt(ftKey), this.resolutionStore.getByKey(ftKey)) };
    };
    return computePrisma({
      sources: this.config.sources.map((source) => ({ ...source, identified: identified.get(source.file) ?? 0 })),
      records: this.records.map((record) => ({ id: record.id, file: toReviewPath(record.provenance.file) })),
      duplicates: this.duplicates.map((duplicate) => ({ file: toReviewPath(duplicate.provenance.file) })),
      status: outcome,
    });
  }

  /** Cohen's kappa and percent agreement per stage for every reviewer pair (named by their ids). */
  agreement(): PairAgreement[] {
    return agreementReport(this.decisionsByReviewerName());
  }

  /** Fleiss' kappa per stage when three or more reviewers decided the same records. */
  groupAgreement(): GroupAgreement[] {
    return groupAgreement(this.decisionsByReviewerName());
  }

  private decisionsByReviewerName(): Map<string, Decision[]> {
    const byReviewer = new Map<string, Decision[]>();
    for (const [key, store] of this.stores) if (store.size > 0) byReviewer.set(store.header.reviewer ?? key, [...store.values()]);
    return byReviewer;
  }

  /** The source (from review.json or the defaults) a record was imported from. */
  sourceOf(record: BibRecord): SourceConfig | undefined {
    const file = toReviewPath(record.provenance.file);
    return this.config.sources.find((source) => source.file === file);
  }

  // -------------------------------------------------------------------------------------------
  // Recording

  /**
   * Records the current reviewer's verdict and resolves once it is durably on disk. Throws a
   * ReviewError for an unknown record, a verdict the stage does not allow, a missing required
   * reason, or a file that must not be written.
   */
  async decide(recordId: string, stage: Stage, verdict: Verdict, reason?: string | null, note?: string | null): Promise<Decision> {
    this.check(recordId, stage, verdict, reason);
    const store = this.stores.get(this.reviewerKey)!;
    if (store.readOnly) throw new ReviewError(store.issues[0]?.message ?? `${this.relative(store.path)} cannot be written.`);
    const previous = store.get(recordId, stage);
    const decision: Decision = {
      record: recordId,
      stage,
      verdict,
      reason: clean(reason),
      note: clean(note),
      time: timeAfter(previous?.time, this.now()),
    };
    await this.apply('decisions', entryKey(recordId, stage), previous, decision, true);
    return decision;
  }

  /**
   * Changes the note on the current reviewer's decision, keeping its verdict and reason. Not an undo
   * step of its own: undo still takes back the decision (the note goes with it).
   */
  async setNote(recordId: string, stage: Stage, note: string | null): Promise<Decision> {
    const store = this.stores.get(this.reviewerKey)!;
    const current = store.get(recordId, stage);
    if (!current) throw new ReviewError(`No decision on ${recordId} to note.`);
    if (store.readOnly) throw new ReviewError(store.issues[0]?.message ?? `${this.relative(store.path)} cannot be written.`);
    const key = entryKey(recordId, stage);
    const decision: Decision = { ...current, note: clean(note), time: timeAfter(current.time, this.now()) };
    const steps = this.undoStack.filter((step) => step.kind === 'decisions' && step.key === key && step.next === current);
    for (const step of steps) step.next = decision;
    try {
      await this.apply('decisions', key, current, decision, false);
    } catch (error) {
      for (const step of steps) step.next = current;
      throw error;
    }
    return decision;
  }

  /** Records an adjudicated verdict (by the current reviewer) in screening/resolutions.json. */
  async resolve(recordId: string, stage: Stage, verdict: Verdict, reason?: string | null, note?: string | null): Promise<Resolution> {
    this.check(recordId, stage, verdict, reason);
    const store = this.resolutionStore;
    if (store.readOnly) throw new ReviewError(store.issues[0]?.message ?? `${RESOLUTIONS_FILE} cannot be written.`);
    const previous = store.get(recordId, stage);
    const resolution: Resolution = {
      record: recordId,
      stage,
      verdict,
      reason: clean(reason),
      note: clean(note),
      by: this.reviewer,
      time: timeAfter(previous?.time, this.now()),
    };
    await this.apply('resolutions', entryKey(recordId, stage), previous, resolution, true);
    return resolution;
  }

  /**
   * Undoes the current session's last decision or resolution (restoring what it replaced), unless
   * that entry was changed since by someone else. Returns the entry undone, or undefined.
   */
  async undo(): Promise<{ undone: Entry; restored: Entry | undefined } | undefined> {
    const step = this.undoStack.pop();
    if (!step) return undefined;
    const store = step.kind === 'decisions' ? this.stores.get(this.reviewerKey)! : this.resolutionStore;
    const current = store.getByKey(step.key);
    if (!current || current.time !== step.next.time || current.verdict !== step.next.verdict) return undefined;
    await this.apply(step.kind, step.key, current, step.previous, false);
    return { undone: step.next, restored: step.previous };
  }

  /** Whether there is something to undo in this session. */
  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  private check(recordId: string, stage: Stage, verdict: Verdict, reason: string | null | undefined): void {
    if (!this.recordById.has(recordId)) throw new ReviewError(`Unknown record ${recordId}.`);
    if (!isStage(stage)) throw new ReviewError(`Unknown stage ${String(stage)}.`);
    if (!isVerdict(verdict)) throw new ReviewError(`Unknown verdict ${String(verdict)}.`);
    if (!verdictAllowed(stage, verdict)) throw new ReviewError(`"${verdict}" is only possible at full text.`);
    if (verdict === 'exclude' && this.config.stages[stage].reasonRequired && !clean(reason)) {
      throw new ReviewError(`Excluding at ${stage === 'title-abstract' ? 'title/abstract' : 'full text'} needs a reason.`);
    }
  }

  private async apply(kind: EntryFileKind, key: string, previous: Entry | undefined, next: Entry | undefined, recordUndo: boolean): Promise<void> {
    const store = (kind === 'decisions' ? this.stores.get(this.reviewerKey)! : this.resolutionStore) as EntryStore<EntryFileKind>;
    if (next) store.set(next as Resolution);
    else store.delete(key);
    if (recordUndo && next) this.undoStack.push({ kind, key, previous, next });
    this.announce(kind, key);
    await this.ensureGitignore();
    try {
      await store.save();
    } catch (error) {
      // Not on disk: take the change back so what is shown is what is recorded.
      if (store.getByKey(key) === next) store.restore(key, previous as Resolution | undefined);
      if (recordUndo && next) this.undoStack.pop();
      this.announce(kind, key);
      if (error instanceof Error && error.name === 'ReadOnlyFileError') throw new ReviewError(error.message);
      throw error;
    }
  }

  private announce(kind: EntryFileKind, key: string): void {
    if (kind === 'decisions') {
      const records = this.indexKeys([key]);
      this.changes.fire({ kind: 'decisions', reviewer: this.reviewerKey, records, external: false });
    } else {
      const record = keyRecord(key);
      this.statusCache.delete(record);
      this.changes.fire({ kind: 'resolutions', records: [record], external: false });
    }
  }

  /** screening/.gitignore keeps leftovers of interrupted writes out of commits. */
  private async ensureGitignore(): Promise<void> {
    if (this.gitignoreChecked) return;
    this.gitignoreChecked = true;
    const path = this.path(`${SCREENING_DIR}/.gitignore`);
    if ((await this.fs.stat(path)) === undefined) await this.fs.writeAtomic(path, '# Leftovers of interrupted writes\n.*.tmp\n');
  }

  /**
   * Writes review.json (validated); re-imports the records when the sources changed. The import runs
   * first: when it fails or `options.signal` cancels it, review.json and the records stay as they were.
   */
  async saveConfig(config: ReviewConfig = this.config, options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.configBlocked) throw new ReviewError(`${this.configBlocked}. Nothing was written.`);
    let text = serialiseReviewConfig(config);
    const validate = validator('review');
    if (!validate(JSON.parse(text))) throw new ReviewError(`Invalid review settings: ${describeError(validate.errors)}`);
    const importFor = (sources: SourceConfig[]) =>
      JSON.stringify(sources) !== JSON.stringify(this.config.sources) && !this.options.outcome ? this.importRecords(sources, undefined, options.signal) : undefined;
    let imported = await importFor(config.sources);
    const onDisk = await this.fs.stat(this.path(REVIEW_FILE));
    if (!sameStamp(onDisk, this.configStamp)) {
      // Changed on disk since it was read (a pull, another window): merge as the decisions files are.
      const merged = await this.mergeWithDisk(config);
      if (JSON.stringify(merged.sources) !== JSON.stringify(config.sources)) imported = await importFor(merged.sources);
      config = merged;
      text = serialiseReviewConfig(config);
    }
    this.configStamp = await this.fs.writeAtomic(this.path(REVIEW_FILE), text);
    this.config = config;
    this.configOnDisk = config;
    this.configExists = true;
    this.configIssues = [];
    this.statusCache.clear();
    this.changes.fire({ kind: 'config' });
    if (imported) {
      this.applyRecords(imported);
      this.changes.fire({ kind: 'records' });
    }
  }

  /** Our settings merged with review.json as it is on disk now; refuses when that cannot be read or a setting conflicts. */
  private async mergeWithDisk(config: ReviewConfig): Promise<ReviewConfig> {
    const read = await this.fs.readText(this.path(REVIEW_FILE));
    if (!read) return config;
    const parsed = readReviewText(read.text);
    if (parsed.status === 'invalid') {
      throw new ReviewError(`${REVIEW_FILE} changed on disk and cannot be read now (${parsed.message.replace(/\.$/, '')}). Nothing was written.`);
    }
    // Without review.json when read, the base is what was inferred then (this.config, unedited).
    const base = this.configOnDisk ?? (this.configStamp === undefined ? this.config : undefined);
    const merged = mergeReviewConfigs(base, config, parsed.config);
    const conflicts = [...(parsed.status === 'conflicted' ? parsed.conflicts : []), ...merged.conflicts];
    if (conflicts.length > 0) {
      throw new ReviewError(`${REVIEW_FILE} changed on disk, and these settings differ: ${conflicts.map(describeSettingConflict).join('; ')}. Nothing was written.`);
    }
    return merged.config;
  }

  // -------------------------------------------------------------------------------------------
  // External changes

  /**
   * Picks up changes made outside: call with the changed file's path (absolute or relative to the
   * root), or without to re-check everything. Local changes not yet on disk are merged, never lost.
   */
  async reload(changedPath?: string): Promise<void> {
    const before = JSON.stringify(this.issues);
    await this.reloadFiles(changedPath);
    if (JSON.stringify(this.issues) !== before) this.changes.fire({ kind: 'issues' });
  }

  private async reloadFiles(changedPath?: string): Promise<void> {
    const rel = changedPath === undefined ? undefined : toReviewPath(relative(this.root, resolve(this.root, changedPath)));
    if (rel === undefined || rel === REVIEW_FILE) await this.reloadConfig();
    if (rel === undefined || rel === DECISIONS_DIR || rel.startsWith(`${DECISIONS_DIR}/`)) await this.reloadDecisions(rel);
    if (rel === undefined || rel === RESOLUTIONS_FILE) await this.resolutionStore.reload();
    if (rel === undefined || rel === DUPLICATES_FILE) await this.reloadDuplicateDecisions();
    if (rel === undefined || (!rel.startsWith(`${SCREENING_DIR}/`) && !this.options.outcome && this.isSource(rel))) await this.reloadSources();
  }

  private async reloadDuplicateDecisions(): Promise<void> {
    const before = serialiseDuplicateDecisions(this.duplicateDecisions.values());
    const issuesBefore = this.duplicateIssues.length;
    await this.loadDuplicateDecisions();
    if (serialiseDuplicateDecisions(this.duplicateDecisions.values()) === before && this.duplicateIssues.length === issuesBefore) return;
    this.regroup();
    this.changes.fire({ kind: 'records' });
  }

  private isSource(rel: string): boolean {
    if (this.configExists) return this.config.sources.some((source) => source.file === rel);
    return rel.split('/').every((part, i, parts) => isDefaultSourceName(part, i < parts.length - 1));
  }

  private async reloadConfig(): Promise<void> {
    const stamp = await this.fs.stat(this.path(REVIEW_FILE));
    if (sameStamp(stamp, this.configStamp)) return;
    const before = JSON.stringify(this.config);
    const sourcesBefore = JSON.stringify(this.config.sources);
    await this.loadConfig();
    if (JSON.stringify(this.config) !== before || this.configIssues.length > 0) {
      this.statusCache.clear();
      this.changes.fire({ kind: 'config' });
    }
    if (JSON.stringify(this.config.sources) !== sourcesBefore && !this.options.outcome) {
      await this.loadRecords();
      this.changes.fire({ kind: 'records' });
    }
  }

  private async reloadSources(): Promise<void> {
    let changed = false;
    if (!this.configExists) {
      const files = await this.defaultSourceFiles();
      if (files.join('\n') !== [...this.sourceStamps.keys()].sort().join('\n')) changed = true;
    }
    for (const [file, stamp] of this.sourceStamps) {
      if (changed) break;
      if (!sameStamp(await this.fs.stat(this.path(file)), stamp)) changed = true;
    }
    if (!changed) return;
    await this.loadRecords();
    this.changes.fire({ kind: 'records' });
  }

  private async reloadDecisions(rel: string | undefined): Promise<void> {
    const names = new Set(await this.decisionFileNames());
    const wanted = rel === undefined || rel === DECISIONS_DIR ? undefined : rel.slice(DECISIONS_DIR.length + 1);
    let formerChanged = false;
    // New files (another reviewer pulled in), changed and deleted ones.
    for (const name of names) {
      if (wanted !== undefined && name !== wanted) continue;
      const key = name.slice(0, -'.json'.length);
      if (isFormerReviewerFileName(key)) {
        const former = this.formerFiles.get(key);
        if (former) await former.reload();
        else this.formerFiles.set(key, await this.openFormerFile(key));
        formerChanged = true;
        continue;
      }
      const store = this.stores.get(key);
      if (!store || this.isFormerStore(store)) {
        const opened = await this.openStore(key);
        formerChanged = true;
        const records = this.indexKeys(opened.keys());
        this.changes.fire({ kind: 'decisions', reviewer: key, records, external: true });
      } else {
        await store.reload();
      }
    }
    for (const [name, former] of [...this.formerFiles]) {
      if (names.has(`${name}.json`) || (wanted !== undefined && `${name}.json` !== wanted)) continue;
      this.formerFiles.delete(name);
      formerChanged = true;
      for (const [key, store] of [...this.stores]) {
        if (store !== former) continue;
        this.stores.delete(key);
        this.changes.fire({ kind: 'decisions', reviewer: key, records: this.indexKeys(store.keys()), external: true });
      }
    }
    for (const [key, store] of [...this.stores]) {
      const name = store.path.slice(store.path.length - `${key}.json`.length);
      if (this.isFormerStore(store) || names.has(name) || (wanted !== undefined && name !== wanted)) continue;
      if (key === this.reviewerKey) {
        await store.reload();
        continue;
      }
      this.stores.delete(key);
      const records = this.indexKeys(store.keys());
      this.changes.fire({ kind: 'decisions', reviewer: key, records, external: true });
    }
    if (formerChanged) {
      for (const [key, keys] of this.attachFormerFiles()) this.changes.fire({ kind: 'decisions', reviewer: key, records: this.indexKeys(keys), external: true });
    }
  }

  private isFormerStore(store: EntryStore<'decisions'>): boolean {
    for (const former of this.formerFiles.values()) if (former === store) return true;
    return false;
  }

  /** Waits for every write in flight. */
  async flush(): Promise<void> {
    await Promise.all([...this.stores.values(), this.resolutionStore].map((store) => store.settled()));
  }

  relative(path: string): string {
    return toReviewPath(relative(this.root, path));
  }

  dispose(): void {
    this.changes.dispose();
  }
}

const NOT_APPLICABLE: StageOutcome = { state: 'not-applicable' };

function rank(source: SourceConfig): number {
  return branchOf(source.category) === 'databases-registers' ? 0 : 1;
}

function clean(text: string | null | undefined): string | null {
  const trimmed = text?.trim();
  return trimmed ? trimmed : null;
}
