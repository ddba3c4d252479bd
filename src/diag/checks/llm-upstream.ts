/** llm_upstream: the LLM gateway's upstream (DeepSeek by default, or a BYOK URL): CP_LLM_UPSTREAM_FAILED rate, optional probe. */
import type { CheckDefinition } from '../check.js';
import { upstreamCheck } from './upstream.js';

export const llmUpstreamCheck: CheckDefinition = {
  name: 'llm_upstream',
  componentType: 'system',
  primary: 'failures',
  description: 'The LLM upstream: recent CP_LLM_UPSTREAM_FAILED answers, and an optional probe (DIAG_LLM_PROBE_URL).',
  run: (deps, signal) => upstreamCheck(deps, signal, 'CP_LLM_UPSTREAM_FAILED', deps.config.probes.llm),
};
