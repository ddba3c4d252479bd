/**
 * Our own error catalogue: every error we raise on purpose carries one of
 * these stable DIAG_… codes (coded-error.ts), and this table alone says what
 * the code means to an HTTP caller and to the command line. README.md
 * ("Error codes and exit codes") lists the same table; a test holds the two
 * together.
 *
 * - `http`: the status of the platform-shaped envelope that carries the code.
 *   null: not an answer of the HTTP API (a failure of the command line or of
 *   start-up); a request that meets one anyway answers 500 DIAG_INTERNAL.
 * - `exit`: the command line's exit code when the failure ends a command (one
 *   line on stderr). null: the command line never ends on this code; meeting
 *   one is a fault of the tool, EX_SOFTWARE.
 */

/** sysexits.h EX_SOFTWARE: an internal failure of the tool itself (printed with its stack). */
export const EX_SOFTWARE = 70;

export const DIAG_CODES = {
  DIAG_BAD_REQUEST: { http: 400, exit: null, hint: 'Check the request against the API section of the README.' },
  DIAG_INVALID_CORRELATION_ID: { http: 400, exit: null, hint: 'A correlation id is 16 hexadecimal characters, as in the error envelope\'s "correlation_id".' },
  DIAG_INVALID_CURSOR: { http: 400, exit: 2, hint: 'Pass back the "next" value of the previous page unchanged, or drop the cursor to start over.' },
  DIAG_INVALID_QUERY: { http: 400, exit: 2, hint: 'One of the query parameters is malformed; the message names it.' },
  DIAG_UNAUTHENTICATED: { http: 401, exit: null, hint: 'Sign in at /login, or send Authorization: Bearer <sdo_… token>.' },
  DIAG_FORBIDDEN: { http: 403, exit: null, hint: 'This credential may not do that; an operator can.' },
  DIAG_CSRF_REJECTED: { http: 403, exit: null, hint: 'Reload the form and submit it again; forms expire with the sign-in session.' },
  DIAG_TICKET_NOT_FOUND: { http: 404, exit: null, hint: 'Nothing with this correlation id has been ingested (yet). Check the id, and /diag for ingest lag.' },
  DIAG_NOT_FOUND: { http: 404, exit: null, hint: 'No such resource.' },
  DIAG_ROUTE_NOT_FOUND: { http: 404, exit: null, hint: 'No route at that method and path; see the API section of the README.' },
  DIAG_METHOD_NOT_ALLOWED: { http: 405, exit: null, hint: 'The path exists but not with this method.' },
  DIAG_IDEMPOTENCY_CONFLICT: { http: 409, exit: null, hint: 'An Idempotency-Key names one body; use a new key for a different batch.' },
  DIAG_BODY_TOO_LARGE: { http: 413, exit: null, hint: 'Send smaller bodies (split the batch).' },
  DIAG_UNSUPPORTED_MEDIA_TYPE: { http: 415, exit: null, hint: 'Send the content type this route takes; the message names it.' },
  DIAG_RATE_LIMITED: { http: 429, exit: null, hint: 'Wait for the time in Retry-After, then try again.' },
  DIAG_INTERNAL: { http: 500, exit: EX_SOFTWARE, hint: 'A fault in the console itself; quote the correlation_id to its operators.' },
  DIAG_CP_CONTRACT_MISSING: {
    http: 500,
    exit: null,
    hint: 'The cp database lacks a view the console reads: apply sql/cp-contract.sql to it (psql -v cp_schema=public -v diag_schema=tellwang_diag -f sql/cp-contract.sql) and set DIAG_CP_SCHEMA to the schema holding the views.',
  },
  DIAG_STORE_UNAVAILABLE: { http: 503, exit: 1, hint: 'The console\'s store cannot be read or written right now; see /diag.' },
  DIAG_TIMEOUT: { http: 503, exit: null, hint: 'A dependency did not answer in time; try again shortly.' },
  // Failures of the command line and of start-up: no request meets them.
  DIAG_USAGE: { http: null, exit: 2, hint: 'See the command\'s --help for what it takes.' },
  DIAG_CONFIG_INVALID: { http: null, exit: 1, hint: 'Fix the environment variable the message names; see Configuration in the README.' },
  DIAG_INPUT_INVALID: { http: null, exit: 1, hint: 'Name files or directories that exist and can be read (or - for standard input).' },
  DIAG_INVENTORY_INVALID: { http: null, exit: 1, hint: 'The inventory file must be JSON of the shape the README describes; the message names the field.' },
  DIAG_PG_PREFIX_INVALID: { http: null, exit: 1, hint: 'Copy log_line_prefix exactly as postgresql.conf has it, trailing space included.' },
  DIAG_COPY_REFUSED: {
    http: null,
    exit: 1,
    hint: 'copy reads an existing store (--from) into another one (--to) that is empty or holds only what an earlier copy from the same source wrote; run it again to resume.',
  },
  DIAG_OPERATOR_REFUSED: { http: null, exit: 2, hint: 'Check the email address and the password rules; the message says which.' },
  DIAG_PASSWORD_REFUSED: { http: null, exit: 2, hint: 'Choose a password that meets the rules the message states.' },
  DIAG_TOKEN_REFUSED: { http: null, exit: 2, hint: 'Choose another token name or scope; the message says which.' },
  DIAG_SEED_INVALID: { http: null, exit: EX_SOFTWARE, hint: 'The catalogue seed no longer parses: fix it, then npm run gen:catalog.' },
} as const satisfies Record<string, { http: number | null; exit: number | null; hint: string }>;

export type DiagCode = keyof typeof DIAG_CODES;

/** The codes an HTTP answer may carry: those with a status of their own. */
export type HttpCode = { [K in DiagCode]: (typeof DIAG_CODES)[K]['http'] extends number ? K : never }[DiagCode];

export function isDiagCode(code: unknown): code is DiagCode {
  return typeof code === 'string' && Object.hasOwn(DIAG_CODES, code);
}

export function isHttpCode(code: DiagCode): code is HttpCode {
  return DIAG_CODES[code].http !== null;
}

/** The exit code a command ends with on a failure with this code (EX_SOFTWARE for none). */
export function exitCodeFor(code: DiagCode | null): number {
  return (code === null ? null : DIAG_CODES[code].exit) ?? EX_SOFTWARE;
}
