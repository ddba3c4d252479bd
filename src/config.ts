/**
 * Configuration: command-line flags first, then environment variables, then
 * defaults. Read once in cli.ts and passed down; nothing else reads process.env.
 */
import { z } from 'zod';

export const DEFAULT_DB = './data/diag.sqlite';

const env = z.object({
  DIAG_DB: z.string().min(1).optional(),
  DIAG_HOST: z.string().min(1).optional(),
  DIAG_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  DIAG_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).optional(),
  DIAG_TRUST_PROXY: z.string().optional(),
  DIAG_REDACT_PATTERNS: z.string().optional(),
  NODE_ENV: z.string().optional(),
});

export type Env = z.infer<typeof env>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const r = env.safeParse(source);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new ConfigError(`environment variable ${String(i.path[0])}: ${i.message}`);
  }
  return r.data;
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

/** DIAG_REDACT_PATTERNS: extra redaction regular expressions, one per line. */
export function redactPatterns(e: Env): string[] {
  return (e.DIAG_REDACT_PATTERNS ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
}
