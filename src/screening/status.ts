/**
 * Where a record stands: per stage, from the reviewers' decisions, the stage settings and the
 * adjudicated resolutions.
 *
 * - A stage's verdict is its resolution if any, else the reviewers' agreed verdict once as many
 *   reviewers as the stage needs have decided, else pending: `undecided` (nobody yet), `awaiting`
 *   (another reviewer needed) or `conflict`.
 * - Reviewers disagree when their verdicts differ (include vs exclude, maybe vs anything, …); at
 *   full text, excluding for different reasons is a disagreement too (PRISMA reports one reason per
 *   excluded report).
 * - An agreed `maybe` is still pending: it needs a decision (or a resolution) to move on.
 * - Full text applies only to records included at title/abstract.
 */
import type { Decision, Resolution, Stage, Verdict } from './decision';

export type StageState =
  | 'undecided'
  | 'awaiting'
  | 'conflict'
  | 'maybe'
  | 'included'
  | 'excluded'
  | 'not-retrieved'
  /** Full text of a record not included at title/abstract. */
  | 'not-applicable';

export type ConflictKind = 'verdict' | 'reason';

export interface ReviewerDecision extends Decision {
  reviewer: string;
}

export interface StageStatus {
  stage: Stage;
  state: StageState;
  /** The verdict in force: resolved or agreed (also for `awaiting`, the verdict so far). */
  verdict?: Verdict;
  reason?: string | null;
  decidedBy?: 'resolution' | 'agreement';
  /** Reviewers' decisions, by reviewer id. */
  decisions: ReviewerDecision[];
  resolution?: Resolution;
  /** Set when the reviewers disagree, whether or not a resolution settled it. */
  conflict?: ConflictKind;
  needed: number;
}

export type FinalState = 'included' | 'excluded' | 'not-retrieved' | 'pending';

export interface RecordStatus {
  record: string;
  titleAbstract: StageStatus;
  fullText: StageStatus;
  final: FinalState;
  /** Stage at which the record left (excluded / not retrieved) or was included. */
  finalStage?: Stage;
  reason?: string | null;
}

export const PENDING_STATES: ReadonlySet<StageState> = new Set(['undecided', 'awaiting', 'conflict', 'maybe']);

const STATE_OF: Record<Verdict, StageState> = {
  include: 'included',
  exclude: 'excluded',
  maybe: 'maybe',
  'not-retrieved': 'not-retrieved',
};

/** The outcome of one stage without the per-reviewer detail (cheap: for counting every record). */
export interface StageOutcome {
  state: StageState;
  verdict?: Verdict;
  reason?: string | null;
  decidedBy?: 'resolution' | 'agreement';
  conflict?: ConflictKind;
}

export function evaluateStage(
  stage: Stage,
  needed: number,
  decisions: readonly Decision[],
  resolution: Resolution | undefined,
  applicable = true,
): StageOutcome {
  if (!applicable) return { state: 'not-applicable' };
  const conflict = disagreement(stage, decisions);
  if (resolution) {
    const outcome: StageOutcome = { state: STATE_OF[resolution.verdict], verdict: resolution.verdict, reason: resolution.reason, decidedBy: 'resolution' };
    if (conflict) outcome.conflict = conflict;
    return outcome;
  }
  if (decisions.length === 0) return { state: 'undecided' };
  if (conflict) return { state: 'conflict', conflict };
  const verdict = decisions[0].verdict;
  let reason: string | null = null;
  for (const decision of decisions) {
    if (decision.reason !== null) {
      reason = decision.reason;
      break;
    }
  }
  if (decisions.length < needed) return { state: 'awaiting', verdict, reason };
  return { state: STATE_OF[verdict], verdict, reason, decidedBy: 'agreement' };
}

/**
 * The status of one stage. `decisions` maps reviewer id to that reviewer's decision;
 * `applicable` is false for full text of a record not included at title/abstract.
 */
export function stageStatus(
  stage: Stage,
  needed: number,
  decisions: ReadonlyMap<string, Decision> | undefined,
  resolution: Resolution | undefined,
  applicable = true,
): StageStatus {
  const list: ReviewerDecision[] = [];
  if (decisions) {
    for (const [reviewer, decision] of decisions) list.push({ ...decision, reviewer });
    if (list.length > 1) list.sort((a, b) => (a.reviewer < b.reviewer ? -1 : a.reviewer > b.reviewer ? 1 : 0));
  }
  const outcome = evaluateStage(stage, needed, list, resolution, applicable);
  const status: StageStatus = { stage, ...outcome, decisions: list, needed };
  if (resolution && applicable) status.resolution = resolution;
  return status;
}

export function disagreement(stage: Stage, decisions: readonly Decision[]): ConflictKind | undefined {
  if (decisions.length < 2) return undefined;
  const first = decisions[0].verdict;
  if (decisions.some((decision) => decision.verdict !== first)) return 'verdict';
  if (stage === 'full-text' && first === 'exclude') {
    const reasons = new Set(decisions.map((decision) => decision.reason).filter((reason) => reason !== null && reason.trim() !== ''));
    if (reasons.size > 1) return 'reason';
  }
  return undefined;
}

export interface StageInputs {
  needed: Record<Stage, number>;
  decisions(stage: Stage): ReadonlyMap<string, Decision> | undefined;
  resolution(stage: Stage): Resolution | undefined;
}

export function recordStatus(record: string, inputs: StageInputs): RecordStatus {
  const titleAbstract = stageStatus('title-abstract', inputs.needed['title-abstract'], inputs.decisions('title-abstract'), inputs.resolution('title-abstract'));
  const fullText = stageStatus(
    'full-text',
    inputs.needed['full-text'],
    inputs.decisions('full-text'),
    inputs.resolution('full-text'),
    titleAbstract.state === 'included',
  );
  const status: RecordStatus = { record, titleAbstract, fullText, final: 'pending' };
  if (titleAbstract.state === 'excluded') {
    status.final = 'excluded';
    status.finalStage = 'title-abstract';
    status.reason = titleAbstract.reason ?? null;
  } else if (titleAbstract.state === 'included') {
    if (fullText.state === 'included' || fullText.state === 'excluded' || fullText.state === 'not-retrieved') {
      status.final = fullText.state;
      status.finalStage = 'full-text';
      status.reason = fullText.reason ?? null;
    }
  }
  return status;
}

export interface Conflict {
  record: string;
  stage: Stage;
  kind: ConflictKind;
  decisions: ReviewerDecision[];
  resolution?: Resolution;
}

export function conflictOf(status: StageStatus, record: string): Conflict | undefined {
  if (!status.conflict || status.state === 'not-applicable') return undefined;
  return { record, stage: status.stage, kind: status.conflict, decisions: status.decisions, ...(status.resolution ? { resolution: status.resolution } : {}) };
}
