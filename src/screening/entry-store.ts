/**
 * One decisions (or resolutions) file in memory: its entries by key, the version last seen on
 * disk, and durable saves. A save first checks whether the file changed on disk since it was read
 * (git pull, checkout, another window); if so it merges instead of clobbering. Saves requested
 * while one is running are grouped into the next write.
 */
import { entryKey } from './decision';
import {
  readEntryFile,
  sameEntry,
  serialiseEntry,
  headerLine,
  type EntryFileHeader,
  type EntryFileKind,
  type EntryTypes,
  type ReadOutcome,
} from './entry-file';
import { mergeEntries } from './merge';
import { sameStamp, type FileStamp, type ReviewFileSystem } from './review-fs';

/** 'foreign': a decisions file whose header names a reviewer other than its owner (never written). */
export type StoreState = 'missing' | 'ok' | 'migrated' | 'conflicted' | 'newer' | 'invalid' | 'foreign';

/** Raised when a save would overwrite a file this build must not write. */
export class ReadOnlyFileError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'ReadOnlyFileError';
  }
}

export interface StoreIssue {
  severity: 'error' | 'warning' | 'info';
  /** 1-based, 0 for the whole file. */
  line: number;
  message: string;
}

export class EntryStore<K extends EntryFileKind> {
  header: EntryFileHeader;
  state: StoreState = 'missing';
  issues: StoreIssue[] = [];
  private entries = new Map<string, EntryTypes[K]>();
  /** Keys in file order, in blocks that keep their serialised bytes until one of their entries changes. */
  private blocks = new KeyBlocks();
  /**
   * Keys changed in memory since the file was last read or written, each with its value on disk
   * then (undefined: absent). With `entries`, this is also the base of a three-way merge.
   */
  private pending = new Map<string, EntryTypes[K] | undefined>();
  private stamp: FileStamp | undefined;
  /** Whether to serialise ahead of saves (the file this session writes). */
  private eager = false;
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;

  constructor(
    readonly kind: K,
    readonly path: string,
    private readonly fs: ReviewFileSystem,
    header: EntryFileHeader,
    /** Told of keys changed by something other than set/delete (a reload, a merge). */
    private readonly onExternalChange: (keys: ReadonlySet<string>) => void = () => undefined,
    /** The reviewer who writes this decisions file: a header naming anyone else makes it read-only. */
    readonly owner?: string,
  ) {
    this.header = header;
  }

  static async open<K extends EntryFileKind>(
    kind: K,
    path: string,
    fs: ReviewFileSystem,
    header: EntryFileHeader,
    onExternalChange?: (keys: ReadonlySet<string>) => void,
    owner?: string,
  ): Promise<EntryStore<K>> {
    const store = new EntryStore(kind, path, fs, header, onExternalChange, owner);
    const read = await fs.readText(path);
    if (read) store.adopt(readEntryFile(kind, read.text, fileNameOf(path)), read.stamp, false, false);
    return store;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether saves are refused (a newer version's file, or an unreadable one). */
  get readOnly(): boolean {
    return this.state === 'newer' || this.state === 'invalid' || this.state === 'foreign';
  }

  get(record: string, stage: EntryTypes[K]['stage']): EntryTypes[K] | undefined {
    return this.entries.get(entryKey(record, stage));
  }

  getByKey(key: string): EntryTypes[K] | undefined {
    return this.entries.get(key);
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  values(): IterableIterator<EntryTypes[K]> {
    return this.entries.values();
  }

  /** Entries in file order. */
  list(): EntryTypes[K][] {
    const list: EntryTypes[K][] = [];
    for (const key of this.blocks.keys()) list.push(this.entries.get(key)!);
    return list;
  }

  /**
   * Serialises the file's blocks ahead of the first save, a few at a time between other work, so
   * the first decision after opening a large file is as quick as the next ones.
   */
  prepareWrites(): void {
    this.eager = true;
    const blocks = this.blocks;
    const step = () => {
      if (blocks !== this.blocks) return;
      if (blocks.render(this.renderBlock, 8)) setImmediate(step);
    };
    setImmediate(step);
  }

  private readonly renderBlock = (keys: readonly string[]): Buffer => {
    let text = '';
    for (let i = 0; i < keys.length; i++) text += (i > 0 ? ',\n' : '') + serialiseEntry(this.kind, this.entries.get(keys[i])!);
    return Buffer.from(text, 'utf8');
  };

  set(entry: EntryTypes[K]): void {
    this.assertWritable();
    this.put(entryKey(entry.record, entry.stage), entry);
  }

  delete(key: string): void {
    this.assertWritable();
    if (this.entries.has(key)) this.put(key, undefined);
  }

  /** Puts back an entry (or its absence) after a failed save, even in a read-only file. */
  restore(key: string, entry: EntryTypes[K] | undefined): void {
    this.put(key, entry);
  }

  private put(key: string, entry: EntryTypes[K] | undefined): void {
    const old = this.entries.get(key);
    if (!this.pending.has(key)) this.pending.set(key, old);
    if (entry === undefined) {
      if (old !== undefined) {
        this.entries.delete(key);
        this.blocks.remove(key);
      }
    } else {
      if (old === undefined) this.blocks.insert(key);
      else this.blocks.touch(key);
      this.entries.set(key, entry);
    }
  }

  /** Writes the current entries durably; resolves once they are on disk. */
  save(): Promise<void> {
    if (this.queued) return this.queued;
    const run = this.chain
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.writeNow();
      });
    this.queued = run;
    this.chain = run;
    return run;
  }

  /** Waits for writes in flight. */
  async settled(): Promise<void> {
    await this.chain.catch(() => undefined);
  }

  /**
   * Re-reads the file if it changed on disk; unsaved local changes are merged in. Returns the
   * keys whose entries changed.
   */
  async reload(): Promise<ReadonlySet<string>> {
    await this.settled();
    const stamp = await this.fs.stat(this.path);
    if (stamp !== undefined && sameStamp(stamp, this.stamp)) return new Set();
    if (stamp === undefined && this.stamp === undefined && this.state === 'missing') return new Set();
    const read = await this.fs.readText(this.path);
    const outcome: ReadOutcome<K> | undefined = read ? readEntryFile(this.kind, read.text, fileNameOf(this.path)) : undefined;
    return this.adopt(outcome, read?.stamp, this.pending.size > 0);
  }

  describe(): string {
    return `${this.path} (${this.state}, ${this.entries.size} entries)`;
  }

  private assertWritable(): void {
    if (this.readOnly) throw new ReadOnlyFileError(this.path, this.issues[0]?.message ?? `${this.path} is read-only.`);
  }

  /**
   * Takes in what was read from disk. With `merge`, local entries are merged three-way (base = the
   * last version seen on disk) instead of replaced. Returns the keys that changed.
   */
  private adopt(outcome: ReadOutcome<K> | undefined, stamp: FileStamp | undefined, merge: boolean, notify = true): ReadonlySet<string> {
    this.stamp = stamp;
    this.issues = [];
    const theirs = new Map<string, EntryTypes[K]>();
    if (outcome === undefined) {
      this.state = 'missing';
    } else if (outcome.status === 'invalid') {
      this.state = 'invalid';
      this.issues.push({ severity: 'error', line: outcome.line, message: `${outcome.message} The file is not changed until it is fixed.` });
      // Keep what was in memory (nothing when opening): an unreadable file never wipes decisions.
      return new Set();
    } else {
      for (const entry of outcome.entries) theirs.set(entryKey(entry.record, entry.stage), entry);
      const named = outcome.header.reviewer;
      // Only a header the file really holds (version 0 files were named after their file).
      const fromFile = (outcome.status === 'ok' && outcome.migratedFrom === undefined) || outcome.status === 'conflicted';
      if (this.owner !== undefined && fromFile && named !== undefined && named !== this.owner) {
        // Someone else's decisions (a copied or renamed file): shown as theirs, never written by us.
        this.state = 'foreign';
        this.header = { ...outcome.header };
        this.issues.push({
          severity: 'error',
          line: 1,
          message:
            `The file's header names reviewer ${JSON.stringify(named)}, not you (${JSON.stringify(this.owner)}), so your decisions are not written into it. ` +
            'Check your reviewer id (git user.email, or the setting screening.reviewer), or give the file back its own name.',
        });
        this.replaceAll(theirs);
        this.pending = new Map();
        if (notify) this.onExternalChange(new Set(theirs.keys()));
        return new Set(theirs.keys());
      }
      this.header = { ...this.header, ...outcome.header };
      for (const warning of outcome.warnings) this.issues.push({ severity: 'warning', line: 0, message: warning });
      if (outcome.status === 'ok') {
        this.state = outcome.migratedFrom !== undefined ? 'migrated' : 'ok';
        if (outcome.migratedFrom !== undefined) {
          this.issues.push({
            severity: 'info',
            line: 0,
            message: `Version ${outcome.migratedFrom} file read and migrated; it is rewritten in version ${outcome.version} on the next save.`,
          });
        }
      } else {
        this.state = outcome.status;
        this.issues.push({ severity: outcome.status === 'newer' ? 'error' : 'warning', line: 0, message: outcome.message });
      }
    }
    let next = theirs;
    if (merge) {
      const entries = this.entries;
      const pending = this.pending;
      const base = { get: (key: string) => (pending.has(key) ? pending.get(key) : entries.get(key)) };
      next = mergeEntries(this.kind, base, entries, theirs);
    }
    const changed = new Set<string>();
    if (notify) {
      for (const [key, entry] of next) if (!sameEntry(this.entries.get(key), entry)) changed.add(key);
      for (const key of this.entries.keys()) if (!next.has(key)) changed.add(key);
    }
    // What still differs from the disk needs writing; its base is the disk's version.
    const pending = new Map<string, EntryTypes[K] | undefined>();
    if (merge) {
      for (const [key, entry] of next) if (!sameEntry(theirs.get(key), entry)) pending.set(key, theirs.get(key));
      for (const [key, entry] of theirs) if (!next.has(key)) pending.set(key, entry);
    }
    this.replaceAll(next);
    this.pending = pending;
    if (changed.size > 0) this.onExternalChange(changed);
    return changed;
  }

  private replaceAll(next: Map<string, EntryTypes[K]>): void {
    const keys = [...next.keys()];
    let sorted = true;
    for (let i = 1; i < keys.length && sorted; i++) if (keys[i - 1] >= keys[i]) sorted = false;
    if (!sorted) keys.sort();
    this.entries = next;
    this.blocks = KeyBlocks.from(keys);
    if (this.eager) this.prepareWrites();
  }

  /** The file's bytes: the header line, the blocks' cached bytes, the closing line. */
  private serialise(): Buffer[] {
    const head = headerLine(this.kind, this.header);
    if (this.blocks.size === 0) return [Buffer.from(`${head}\n]}\n`, 'utf8')];
    this.blocks.render(this.renderBlock);
    const parts: Buffer[] = [Buffer.from(`${head}\n`, 'utf8')];
    for (const bytes of this.blocks.bytes()) {
      if (parts.length > 1) parts.push(SEPARATOR);
      parts.push(bytes);
    }
    parts.push(CLOSING);
    return parts;
  }

  private async writeNow(): Promise<void> {
    this.assertWritable();
    const onDisk = await this.fs.stat(this.path);
    if (!sameStamp(onDisk, this.stamp)) {
      // Changed (or created, or deleted) by someone else since we read it: merge, never clobber.
      const read = await this.fs.readText(this.path);
      const outcome = read ? readEntryFile(this.kind, read.text, fileNameOf(this.path)) : undefined;
      this.adopt(outcome, read?.stamp, true);
      this.assertWritable();
    } else if (this.pending.size === 0 && this.state === 'ok') {
      return;
    }
    const text = this.serialise();
    // Changes made while this write runs are pending against what this write puts on disk.
    const written = this.pending;
    this.pending = new Map();
    try {
      this.stamp = await this.fs.writeAtomic(this.path, text);
    } catch (error) {
      for (const [key, base] of written) this.pending.set(key, base);
      throw error;
    }
    // The file on disk is now this build's clean version.
    this.state = 'ok';
    this.issues = [];
  }
}

function fileNameOf(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(slash + 1);
}

const SEPARATOR = Buffer.from(',\n', 'utf8');
const CLOSING = Buffer.from('\n]}\n', 'utf8');

/** Sorted keys in blocks of a few hundred, each caching its serialised lines. */
export class KeyBlocks {
  static readonly SIZE = 512;
  private blocks: { keys: string[]; bytes?: Buffer }[] = [];
  size = 0;

  static from(sortedKeys: readonly string[]): KeyBlocks {
    const blocks = new KeyBlocks();
    for (let i = 0; i < sortedKeys.length; i += KeyBlocks.SIZE) blocks.blocks.push({ keys: sortedKeys.slice(i, i + KeyBlocks.SIZE) });
    blocks.size = sortedKeys.length;
    return blocks;
  }

  *keys(): IterableIterator<string> {
    for (const block of this.blocks) yield* block.keys;
  }

  /** Index of the block that holds (or would hold) the key. */
  private blockOf(key: string): number {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const keys = this.blocks[mid].keys;
      if (keys[keys.length - 1] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(key: string): void {
    if (this.blocks.length === 0) this.blocks.push({ keys: [] });
    const index = this.blockOf(key);
    const block = this.blocks[index];
    block.keys.splice(position(block.keys, key), 0, key);
    block.bytes = undefined;
    this.size++;
    if (block.keys.length > 2 * KeyBlocks.SIZE) this.blocks.splice(index, 1, { keys: block.keys.slice(0, KeyBlocks.SIZE) }, { keys: block.keys.slice(KeyBlocks.SIZE) });
  }

  remove(key: string): void {
    if (this.blocks.length === 0) return;
    const index = this.blockOf(key);
    const block = this.blocks[index];
    const at = position(block.keys, key);
    if (block.keys[at] !== key) return;
    block.keys.splice(at, 1);
    block.bytes = undefined;
    this.size--;
    if (block.keys.length === 0) this.blocks.splice(index, 1);
  }

  /** Marks the block of a key whose entry changed. */
  touch(key: string): void {
    if (this.blocks.length === 0) return;
    this.blocks[this.blockOf(key)].bytes = undefined;
  }

  /** Serialises up to `limit` blocks lacking bytes; returns whether some remain. */
  render(render: (keys: readonly string[]) => Buffer, limit = Infinity): boolean {
    let done = 0;
    for (const block of this.blocks) {
      if (block.bytes) continue;
      if (done >= limit) return true;
      block.bytes = render(block.keys);
      done++;
    }
    return false;
  }

  *bytes(): IterableIterator<Buffer> {
    for (const block of this.blocks) yield block.bytes!;
  }
}

function position(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
