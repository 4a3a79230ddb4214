/**
 * Every command, view, panel and context key id of the extension, in one place (package.json
 * contributes the same ids; test/unit/views/manifest.test.ts keeps the two in step).
 */
export const Commands = {
  // Review
  startReview: 'screening.startReview',
  openSample: 'screening.openSample',
  importRecords: 'screening.importRecords',
  refresh: 'screening.refresh',
  // Reading and deciding
  openRecord: 'screening.openRecord',
  nextUnscreened: 'screening.nextUnscreened',
  include: 'screening.include',
  exclude: 'screening.exclude',
  maybe: 'screening.maybe',
  addNote: 'screening.addNote',
  undo: 'screening.undo',
  // Finding
  search: 'screening.search',
  filter: 'screening.filter',
  clearFilter: 'screening.clearFilter',
  // Order of the Unscreened group (src/views/relevance.ts)
  toggleUnscreenedOrder: 'screening.toggleUnscreenedOrder',
  useOriginalOrder: 'screening.useOriginalOrder',
  useRelevanceOrder: 'screening.useRelevanceOrder',
  // Reviewers
  showConflicts: 'screening.showConflicts',
  setReviewer: 'screening.setReviewer',
  resolveConflict: 'screening.resolveConflict',
  compareReviewer: 'screening.compareWithReviewer',
  setupMergeDriver: 'screening.setupMergeDriver',
  // Full texts (src/views/commands/fulltext.ts)
  matchPdfs: 'screening.matchPdfs',
  attachPdf: 'screening.attachPdf',
  detachPdf: 'screening.detachPdf',
  nextWithoutPdf: 'screening.nextWithoutPdf',
  showUnmatchedPdfs: 'screening.showUnmatchedPdfs',
  // Duplicates (src/views/duplicatesPanel.ts)
  reviewDuplicates: 'screening.reviewDuplicates',
  markDuplicates: 'screening.markDuplicates',
  // PRISMA (src/views/prismaPanel.ts)
  showPrisma: 'screening.showPrisma',
  exportPrisma: 'screening.exportPrisma',
  // Results (src/views/commands/export.ts)
  exportRecords: 'screening.exportRecords',
  exportDecisions: 'screening.exportDecisions',
  showReport: 'screening.showReport',
  // Kept from the first version of the extension.
  showSampleSummary: 'screening.showSampleSummary',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

export const RECORDS_VIEW_ID = 'screening.records';
export const READER_VIEW_TYPE = 'screening.reader';

/** Context keys for `when` clauses. */
export const ContextKeys = {
  /** A review is open (records or a screening/review.json). Set by ReviewSession and the index. */
  hasReview: 'screening.hasReview',
  /** The folder was read and holds no review (until then the Records view says it is loading). */
  noReview: 'screening.noReview',
  /** The Records tree is filtered. */
  filtered: 'screening.filtered',
  /** There is a decision of this session to undo. */
  canUndo: 'screening.canUndo',
  /** The review has decisions files of other reviewers. */
  hasOtherReviewers: 'screening.hasOtherReviewers',
  /** The review has unresolved conflicts. */
  hasConflicts: 'screening.hasConflicts',
  /** Unscreened (title/abstract) is ordered by relevance (setting screening.unscreenedOrder). */
  relevanceOrder: 'screening.relevanceOrder',
} as const;

/** Settings (contributes.configuration) under `screening.`. */
export const Settings = {
  section: 'screening',
  reviewer: 'reviewer',
  blindMode: 'blindMode',
  autoAdvance: 'autoAdvance',
  includeKeywords: 'keywords.include',
  excludeKeywords: 'keywords.exclude',
  defaultStage: 'defaultStage',
  unscreenedOrder: 'unscreenedOrder',
  openOnStartup: 'openOnStartup',
} as const;
