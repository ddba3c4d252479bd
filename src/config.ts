/**
 * Configuration: command-line flags first, then environment variables, then
 * defaults. Read once in cli.ts and passed down; nothing else reads process.env.
 */
import { z } from 'zod';
import { diagConfig, type DiagConfig } from './diag/diag-config.js';
import { compilePgPrefix, DEFAULT_PG_LOG_LINE_PREFIX } from './ingest/parsers/pg-prefix.js';
import { DEFAULT_LEASE_RENEW_MS, DEFAULT_LEASE_TTL_MS } from './ingest/follow/lease-keeper.js';
import { CodedError } from './errors/coded-error.js';
import type { DiagCode } from './errors/diag-codes.js';

export const DEFAULT_DB = './data/diag.sqlite';
/** The control plane's schema when DIAG_CP_SCHEMA does not name one (cpdb/cp-database.ts). */
export const DEFAULT_CP_SCHEMA = 'tellwang_diag';

/** A prefix that cannot be read is refused when the environment is read, before any command runs. */
function checkPgPrefix(v: string, ctx: z.RefinementCtx): void {
  try {
    compilePgPrefix(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
}

const env = z.object({
  DIAG_DB: z.string().min(1).optional(),
  DIAG_HOST: z.string().min(1).optional(),
  DIAG_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  DIAG_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).optional(),
  DIAG_TRUST_PROXY: z.string().optional(),
  DIAG_REDACT_PATTERNS: z.string().optional(),
  NODE_ENV: z.string().optional(),
  // /diag: the cp database (read through sql/cp-contract.sql), optional upstream probes, check timing.
  DIAG_CP_DATABASE_URL: z.string().regex(/^postgres(?:ql)?:\/\//, 'a postgres:// URL').optional(),
  DIAG_CP_SCHEMA: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a schema name').optional(),
  DIAG_LLM_PROBE_URL: z.url({ protocol: /^https?$/ }).optional(),
  DIAG_EMAIL_PROBE_URL: z.url({ protocol: /^https?$/ }).optional(),
  DIAG_DNS_PROBE_URL: z.url({ protocol: /^https?$/ }).optional(),
  DIAG_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).optional(),
  DIAG_CHECK_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).optional(),
  DIAG_HEALTH_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).optional(),
  // POST /v1/ingest: largest pushed body in bytes, as sent and decompressed (default 8 MiB).
  DIAG_INGEST_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 ** 3).optional(),
  // The log_line_prefix of the cp's PostgreSQL servers, as in their postgresql.conf (default '%m [%p] %q%a ').
  DIAG_PG_LOG_LINE_PREFIX: z.string().superRefine(checkPgPrefix).optional(),
  // Several consoles following the same paths into one store: how long a stream's lease lasts unrenewed, and how often it is renewed.
  DIAG_LEASE_TTL_MS: z.coerce.number().int().min(200).max(600_000).optional(),
  DIAG_LEASE_RENEW_MS: z.coerce.number().int().min(50).max(300_000).optional(),
});

export type Env = z.infer<typeof env>;

export class ConfigError extends CodedError {
  override name = 'ConfigError';
  readonly code = 'DIAG_CONFIG_INVALID' satisfies DiagCode;
}

/**
 * Reads our variables from the environment. A variable set to nothing (`DIAG_PORT=`, or only spaces) counts as
 * unset, as shells and compose files produce them when a value is left out: otherwise an empty DIAG_PORT would
 * coerce to port 0 and an empty DIAG_DB would be refused instead of taking the default.
 */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const given: Record<string, string> = {};
  for (const key of Object.keys(env.shape)) {
    const v = source[key];
    if (v !== undefined && v.trim() !== '') given[key] = v;
  }
  const r = env.safeParse(given);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new ConfigError(`environment variable ${String(i.path[0])}: ${i.message}`);
  }
  return r.data;
}

/** Stream leases of `serve --follow` / `ingest --follow`: 15 s, renewed every 5 s (a third of the lease when only that is set). */
export function leaseTiming(e: Env): { ttlMs: number; renewMs: number } {
  const ttlMs = e.DIAG_LEASE_TTL_MS ?? DEFAULT_LEASE_TTL_MS;
  const renewMs = e.DIAG_LEASE_RENEW_MS ?? (e.DIAG_LEASE_TTL_MS !== undefined ? Math.max(50, Math.floor(ttlMs / 3)) : DEFAULT_LEASE_RENEW_MS);
  if (renewMs * 2 > ttlMs) throw new ConfigError(`environment variable DIAG_LEASE_RENEW_MS: ${renewMs} ms is more than half the lease (DIAG_LEASE_TTL_MS ${ttlMs} ms): a lease would lapse between renewals`);
  return { ttlMs, renewMs };
}

export function dbPath(flag: string | undefined, e: Env): string {
  return flag ?? e.DIAG_DB ?? DEFAULT_DB;
}

/** DIAG_TRUST_PROXY: "true", "false", a hop count, or Express's list of trusted addresses. */
export function trustProxy(e: Env): boolean | string {
  const v = e.DIAG_TRUST_PROXY;
  if (v === undefined || v === '' || v === 'false') return false;
  if (v === 'true') return true;
  return v;
}

/** DIAG_PG_LOG_LINE_PREFIX, or PostgreSQL's prefix on the cp's databases by default. */
export function pgLogLinePrefix(e: Env): string {
  return e.DIAG_PG_LOG_LINE_PREFIX ?? DEFAULT_PG_LOG_LINE_PREFIX;
}

/** DIAG_REDACT_PATTERNS: extra redaction regular expressions, one per line. */
export function redactPatterns(e: Env): string[] {
  return (e.DIAG_REDACT_PATTERNS ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
}

export interface DiagSettings {
  /** The cp database, or null when DIAG_CP_DATABASE_URL is not set (checks that need it say "not configured"). */
  cp: { url: string; schema: string } | null;
  config: DiagConfig;
}

/** /diag's settings from the environment; thresholds not listed here keep their defaults (src/diag/diag-config.ts). */
export function diagSettings(e: Env): DiagSettings {
  const probe = (url: string | undefined) => (url ? { url } : null);
  return {
    cp: e.DIAG_CP_DATABASE_URL ? { url: e.DIAG_CP_DATABASE_URL, schema: e.DIAG_CP_SCHEMA ?? DEFAULT_CP_SCHEMA } : null,
    config: diagConfig({
      ...(e.DIAG_CHECK_TIMEOUT_MS !== undefined ? { timeoutMs: e.DIAG_CHECK_TIMEOUT_MS } : {}),
      ...(e.DIAG_CHECK_INTERVAL_MS !== undefined ? { intervalMs: e.DIAG_CHECK_INTERVAL_MS } : {}),
      ...(e.DIAG_HEALTH_RETENTION_DAYS !== undefined ? { retentionMs: e.DIAG_HEALTH_RETENTION_DAYS * 86_400_000 } : {}),
      probes: { llm: probe(e.DIAG_LLM_PROBE_URL), email: probe(e.DIAG_EMAIL_PROBE_URL), dns: probe(e.DIAG_DNS_PROBE_URL) },
    }),
  };
}
