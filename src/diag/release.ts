/**
 * The console's release, from package.json: health+json's `version` (the
 * major version: what callers may rely on) and `releaseId` (the exact one).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../project-root.js';

export interface Release {
  version: string;
  releaseId: string;
}

let cached: Release | null = null;

export function release(): Release {
  if (cached) return cached;
  const pkg = JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  const releaseId = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  cached = { version: releaseId.split('.')[0]!, releaseId };
  return cached;
}
