/**
 * The /diag subsystem behind the error code was failing when the request
 * failed: cp_db for CP_DB_QUERY_FAILED, llm_upstream for CP_LLM_UPSTREAM_FAILED.
 */
import { clock, failedAt, type CauseRule } from './facts.js';

/** Code → the /diag check whose failure explains it. */
export const SUBSYSTEM_OF: Readonly<Record<string, string>> = {
  CP_DB_QUERY_FAILED: 'cp_db',
  CP_LLM_UPSTREAM_FAILED: 'llm_upstream',
  CP_EMAIL_UPSTREAM_FAILED: 'email_upstream',
  CP_DOMAIN_UPSTREAM_FAILED: 'dns_upstream',
};

const CUSTOMER: Readonly<Record<string, string>> = {
  cp_db: 'The platform database was failing when this request ran; it is on our side, not in your request.',
  llm_upstream: 'The language-model provider was failing when this request ran; it is on our side, not in your request.',
};

export const subsystemFailing: CauseRule = ({ ticket }) => {
  const code = ticket.error?.code;
  const check = code ? SUBSYSTEM_OF[code] : undefined;
  if (!check) return null;
  const at = failedAt(ticket);
  // Failing at the time: the episode began no later than the failure and had not ended before it.
  const ep = (ticket.health ?? []).find((h) => h.check === check && h.status === 'fail' && h.from <= at && (h.to ?? Infinity) >= at);
  if (!ep) return null;
  const until = ep.to === null ? 'still failing at last check' : `until ${clock(ep.to)}`;
  const evidence = ticket.events.filter((e) => e.code === code).map((e) => e.id);
  return {
    rule: 'subsystem-failing',
    text: `/diag ${check} was failing from ${clock(ep.from)} (${until}) and this request failed at ${clock(at)}${ep.output ? `: ${ep.output}` : ''}.`,
    customerText: CUSTOMER[check] ?? 'A platform service was failing when this request ran; it is on our side, not in your request.',
    evidence,
  };
};
