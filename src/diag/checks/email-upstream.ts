/** email_upstream: the Resend API: CP_EMAIL_UPSTREAM_FAILED rate, optional probe. */
import type { CheckDefinition } from '../check.js';
import { upstreamCheck } from './upstream.js';

export const emailUpstreamCheck: CheckDefinition = {
  name: 'email_upstream',
  componentType: 'system',
  primary: 'failures',
  description: 'The email upstream (Resend): recent CP_EMAIL_UPSTREAM_FAILED answers, and an optional probe (DIAG_EMAIL_PROBE_URL).',
  run: (deps, signal) => upstreamCheck(deps, signal, 'CP_EMAIL_UPSTREAM_FAILED', deps.config.probes.email),
};
