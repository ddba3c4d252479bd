/** A copy that must not run: no store to copy from, the same store on both sides, or a target holding data of its own. */
import { CodedError } from '../errors/coded-error.js';
import type { DiagCode } from '../errors/diag-codes.js';

export class CopyRefused extends CodedError {
  override name = 'CopyRefused';
  readonly code = 'DIAG_COPY_REFUSED' satisfies DiagCode;
}
