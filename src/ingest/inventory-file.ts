/**
 * The inventory snapshot file:
 *   {"orgs":[{"slug"}],"woks":[{"id","org","status"}],"keys":[{"prefix","sha256","org","user","kind"?}]}
 * validated with zod; a bad file is a clear error naming the place, not a crash.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Inventory } from '../model/inventory.js';
import { CodedError } from '../errors/coded-error.js';
import type { DiagCode } from '../errors/diag-codes.js';

const PREFIX = /^(skl|sllm)_[0-9a-f]{8}$/;

const schema = z.object({
  orgs: z.array(z.object({ slug: z.string().min(1).max(128) })).default([]),
  woks: z
    .array(
      z.object({
        id: z.string().min(1).max(64),
        org: z.string().min(1).max(128),
        status: z.string().min(1).max(32),
        functions_port: z.number().int().nullable().optional(),
        created_at: z.union([z.string(), z.number()]).nullable().optional(),
      }),
    )
    .default([]),
  keys: z
    .array(
      z.object({
        prefix: z.string().regex(PREFIX, 'a key prefix is skl_ or sllm_ and 8 lower-case hex characters'),
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 is 64 lower-case hex characters'),
        org: z.string().min(1).max(128),
        user: z.string().min(1).max(256),
        kind: z.enum(['skl', 'sllm']).optional(),
        revoked_at: z.union([z.string(), z.number()]).nullable().optional(),
      }),
    )
    .default([]),
});

export class InventoryFileError extends CodedError {
  override name = 'InventoryFileError';
  readonly code = 'DIAG_INVENTORY_INVALID' satisfies DiagCode;
}

function time(v: string | number | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  const t = typeof v === 'number' ? v : Date.parse(v);
  return Number.isFinite(t) ? t : null;
}

export function parseInventory(text: string, source = 'inventory'): Inventory {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InventoryFileError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  const r = schema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new InventoryFileError(`${source}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const d = r.data;
  return {
    orgs: d.orgs,
    woks: d.woks.map((w) => ({ id: w.id, org: w.org, status: w.status, functionsPort: w.functions_port ?? null, createdAt: time(w.created_at) })),
    keys: d.keys.map((k) => ({
      prefix: k.prefix,
      sha256: k.sha256,
      org: k.org,
      user: k.user,
      kind: k.kind ?? (k.prefix.startsWith('sllm_') ? 'sllm' : 'skl'),
      revokedAt: time(k.revoked_at),
    })),
  };
}

export function readInventoryFile(path: string): Inventory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InventoryFileError(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseInventory(text, path);
}
