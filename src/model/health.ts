/** Subsystem health as /diag reports it, and as the store keeps it for history. */

export type CheckStatus = 'pass' | 'warn' | 'fail';

export const STATUS_RANK: Record<CheckStatus, number> = { pass: 0, warn: 1, fail: 2 };

/** One stored check outcome: a subsystem's status at a moment. */
export interface CheckRecord {
  check: string;
  status: CheckStatus;
  time: number;
  /** Short human text: why it is not pass. */
  output: string | null;
}
