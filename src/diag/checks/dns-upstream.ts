/** dns_upstream: Cloudflare Registrar and DNS: CP_DOMAIN_UPSTREAM_FAILED rate, optional probe. */
import type { CheckDefinition } from '../check.js';
import { upstreamCheck } from './upstream.js';

export const dnsUpstreamCheck: CheckDefinition = {
  name: 'dns_upstream',
  componentType: 'system',
  primary: 'failures',
  description: 'The domain upstream (Cloudflare Registrar / DNS): recent CP_DOMAIN_UPSTREAM_FAILED answers, and an optional probe (DIAG_DNS_PROBE_URL).',
  run: (deps, signal) => upstreamCheck(deps, signal, 'CP_DOMAIN_UPSTREAM_FAILED', deps.config.probes.dns),
};
