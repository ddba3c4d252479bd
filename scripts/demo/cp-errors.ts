/**
 * The cp's errors as it raises and logs them: each code's HTTP status and the
 * cp's own `hint` (what the envelope carries — shorter than the published
 * catalogue, and the only remediation there is for codes the catalogue does
 * not list), and real Error objects whose stacks point into the cp's code, so
 * pino's err serializer writes what production writes.
 */

/** Status and hint per code, as the cp's error table has them. */
export const CP_ERRORS: Readonly<Record<string, { status: number; hint: string }>> = {
  CP_UNAUTHENTICATED: { status: 401, hint: 'send Authorization: Bearer skl_<hex>' },
  CP_INVALID_KEY: { status: 401, hint: 'the key must be skl_ or sllm_ followed by 32 to 128 lower-case hex characters; check for whitespace or truncation' },
  CP_LLM_KEY_INVALID: { status: 401, hint: 'mint a fresh key via POST /v1/llm-keys' },
  CP_INVALID_CREDENTIALS: { status: 401, hint: 're-check the email and password' },
  CP_WEAK_PASSWORD: { status: 400, hint: 'use at least 8 characters' },
  CP_USER_NOT_IN_ORG: { status: 403, hint: 'pass an org you belong to, or ask its owner for an invite' },
  CP_ROUTE_NOT_FOUND: { status: 404, hint: 'check the method and path against the API reference' },
  CP_METHOD_NOT_ALLOWED: { status: 405, hint: 'see the Allow header for the methods this path accepts' },
  CP_PROJECT_NOT_FOUND: { status: 404, hint: 'verify the wok_id and that it belongs to your org' },
  CP_ORG_NOT_FOUND: { status: 404, hint: 'org slugs are case-sensitive' },
  CP_NOT_ACTIVE: { status: 409, hint: 'the wok is destroyed; provision a new one via POST /v1/woks' },
  CP_STATUS_STALE: { status: 503, hint: 'retry in 5s' },
  CP_FUNCTION_NOT_FOUND: { status: 404, hint: 'list functions via GET /v1/woks/{id}/functions' },
  CP_TRIGGER_NOT_FOUND: { status: 404, hint: 'list triggers via GET /v1/woks/{id}/triggers' },
  CP_BAD_JSON: { status: 400, hint: 'send a valid JSON body with the required fields' },
  CP_INVALID_NAME: { status: 400, hint: 'rename to match the regex in the message' },
  CP_INVALID_BODY: { status: 400, hint: 'fix the body as the message describes' },
  CP_BULK_TOO_LARGE: { status: 413, hint: 'send at most 200 vars per call' },
  CP_SQL_TOO_LARGE: { status: 413, hint: 'split the SQL into migrations under 1 MiB' },
  CP_LLM_BODY_TOO_LARGE: { status: 413, hint: 'trim the history or the system prompt below 1 MiB' },
  CP_WOK_QUOTA_EXCEEDED: { status: 402, hint: 'upgrade the plan or delete an unused wok' },
  CP_LLM_INSUFFICIENT_BALANCE: { status: 402, hint: 'top up via POST /v1/llm-keys/{prefix}/topup or configure BYOK' },
  CP_DB_QUERY_FAILED: { status: 500, hint: 'check GET /v1/diag; file a ticket with the correlation_id' },
  CP_DUMP_DB_NOT_READY: { status: 503, hint: 'the db is still provisioning; retry in 5-10s' },
  CP_EXEC_SQL_FAILED: { status: 502, hint: 'retry; if it persists, check /diag/wok/{id}' },
  CP_LLM_UPSTREAM_FAILED: { status: 502, hint: 'the LLM upstream failed; see X-LLM-Source for which side answered' },
  CP_EMAIL_UPSTREAM_FAILED: { status: 502, hint: 'check that the sending domain is verified with Resend' },
  CP_DOMAIN_UPSTREAM_FAILED: { status: 502, hint: 'Cloudflare rejected the call; the message has its response' },
  CP_FUNCTIONS_NOT_ENABLED: { status: 503, hint: 'POST /v1/woks/{id}/restart to allocate a functions port now' },
  // Not in the published catalogue: the envelope's hint is all a customer gets.
  CP_SQL_ERROR: { status: 400, hint: 'the statement failed inside your database; fix it and retry (the message is PostgreSQL\'s)' },
  CP_FUNCTION_RUNTIME_UNAVAILABLE: { status: 502, hint: 'the functions runtime of this wok is not running; check its logs under /diag/wok/{id} and the env vars it needs' },
  CP_INTERNAL: { status: 500, hint: 'file a ticket with the correlation_id' },
};

/** What a failing step raised: a real Error is built from it. */
export interface ErrSpec {
  /** The error's class name, as pino's serializer reports it (`type`). */
  type?: string;
  message: string;
  /** Extra own properties (code, errno, syscall, upstream status…). */
  props?: Record<string, string | number | boolean>;
  /** Stack frames below the first line; defaults to a frame in the cp's code. */
  frames?: string[];
  cause?: ErrSpec;
}

type ErrorClass = new (message: string, options?: ErrorOptions) => Error;
const classes = new Map<string, ErrorClass>();

/** An Error subclass with the given name, so `err.constructor.name` is what production logs. */
function errorClass(name: string): ErrorClass {
  let c = classes.get(name);
  if (!c) {
    const made: ErrorClass = { [name]: class extends Error {} }[name]!;
    // Writable, as `name` on Error.prototype is: some errors carry their own (Resend's do).
    Object.defineProperty(made.prototype, 'name', { value: name, writable: true, configurable: true });
    classes.set(name, made);
    c = made;
  }
  return c;
}

export function cpFrames(op: string): string[] {
  const [fn, file, line] = CP_CODE[op] ?? ['handle', `http/routes/${op.replace(/_/g, '-')}.js`, 40];
  return [
    `at ${fn} (/srv/cp/dist/${file}:${line}:${(line * 7) % 40 + 5})`,
    'at process.processTicksAndRejections (node:internal/process/task_queues:105:5)',
    `at async wrapped (/srv/cp/dist/http/async-handler.js:12:7)`,
  ];
}

/** Where each operation lives in the cp, for stack frames. */
const CP_CODE: Record<string, [string, string, number]> = {
  exec_sql: ['execSql', 'woks/exec-sql.js', 88],
  env: ['setEnv', 'woks/env.js', 61],
  invoke: ['invokeFunction', 'functions/invoke.js', 74],
  llm: ['chatCompletions', 'llm/gateway.js', 132],
  invites: ['sendInvite', 'orgs/invites.js', 47],
  domains: ['attachDomain', 'woks/domains.js', 95],
  dump: ['dumpDb', 'woks/dump.js', 33],
  woks: ['listWoks', 'woks/list.js', 22],
  wok: ['getWok', 'woks/get.js', 29],
  login: ['login', 'auth/login.js', 41],
  db: ['query', 'db/pool.js', 57],
  restart: ['restartWok', 'woks/restart.js', 52],
  create_wok: ['createWok', 'woks/create.js', 68],
  http: ['routeError', 'http/errors.js', 19],
};

export function buildError(spec: ErrSpec, op: string): Error {
  const cause = spec.cause ? buildError(spec.cause, op) : undefined;
  const C = errorClass(spec.type ?? 'Error');
  const e = new C(spec.message, cause ? { cause } : undefined);
  Object.assign(e, spec.props ?? {});
  const frames = spec.frames ?? cpFrames(op);
  e.stack = `${e.name}: ${spec.message}\n` + frames.map((f) => `    ${f}`).join('\n');
  return e;
}

/** The error the cp answers with: its code, status and hint travel on the Error, as pino logs them. */
export function cpError(code: string, message: string, op: string, cause?: ErrSpec, status?: number): Error {
  const def = CP_ERRORS[code] ?? CP_ERRORS.CP_INTERNAL!;
  return buildError({ type: 'CpError', message, props: { code, status: status ?? def.status, hint: def.hint }, cause }, op);
}

export function envelope(err: Error, cid: string): { error: { code: string; message: string; hint: string; correlation_id: string } } {
  const e = err as Error & { code?: string; hint?: string };
  return { error: { code: e.code ?? 'CP_INTERNAL', message: err.message, hint: e.hint ?? CP_ERRORS.CP_INTERNAL!.hint, correlation_id: cid } };
}
