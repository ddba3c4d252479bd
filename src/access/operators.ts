/** Operator accounts: adding, disabling, re-enabling and resetting passwords, with the checks a CLI user needs. */
import type { Operator } from '../model/access.js';
import type { AccessStore } from '../store/store.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { CodedError } from '../errors/coded-error.js';
import type { DiagCode } from '../errors/diag-codes.js';

const EMAIL = /^[^\s@<>"',;]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*$/;

export class OperatorError extends CodedError {
  override name = 'OperatorError';
  readonly code = 'DIAG_OPERATOR_REFUSED' satisfies DiagCode;
}

/** Emails are compared without regard to case (the store's column is NOCASE); they are kept as typed, trimmed. */
export function normaliseEmail(raw: string): string {
  const email = raw.trim();
  if (email.length > 254 || !EMAIL.test(email)) throw new OperatorError(`${JSON.stringify(email.slice(0, 80))} is not an email address`);
  return email;
}

export async function addOperator(store: AccessStore, rawEmail: string, password: string): Promise<Operator> {
  const email = normaliseEmail(rawEmail);
  if (await store.operatorByEmail(email)) throw new OperatorError(`an operator ${email} exists already`);
  const problem = passwordProblem(password);
  if (problem) throw new OperatorError(problem);
  return store.addOperator(email, await hashPassword(password));
}

export async function setPassword(store: AccessStore, rawEmail: string, password: string): Promise<void> {
  const email = normaliseEmail(rawEmail);
  const problem = passwordProblem(password);
  if (problem) throw new OperatorError(problem);
  if (!(await store.setOperatorPassword(email, await hashPassword(password)))) throw new OperatorError(`no operator ${email}`);
}

/** Disabling also ends every session of the operator. */
export async function setDisabled(store: AccessStore, rawEmail: string, disabled: boolean): Promise<void> {
  const email = normaliseEmail(rawEmail);
  if (!(await store.setOperatorDisabled(email, disabled))) throw new OperatorError(`no operator ${email}`);
}
