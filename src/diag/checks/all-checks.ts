/** Every subsystem /diag reports, in the order it shows them. */
import type { CheckDefinition } from '../check.js';
import { cpDbCheck } from './cp-db.js';
import { dnsUpstreamCheck } from './dns-upstream.js';
import { emailUpstreamCheck } from './email-upstream.js';
import { functionsCheck } from './functions.js';
import { ingestCheck } from './ingest.js';
import { llmUpstreamCheck } from './llm-upstream.js';
import { reconcilerCheck } from './reconciler.js';

export const ALL_CHECKS: readonly CheckDefinition[] = [
  cpDbCheck,
  reconcilerCheck,
  functionsCheck,
  llmUpstreamCheck,
  emailUpstreamCheck,
  dnsUpstreamCheck,
  ingestCheck,
];
