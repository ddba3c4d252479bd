/**
 * The wok's functions runtime was crash-looping when a request to it failed:
 * the same reading of lifecycle lines as the /diag functions check.
 */
import { containerState } from '../../diag/container-state.js';
import { DEFAULT_DIAG_CONFIG } from '../../diag/diag-config.js';
import { WOK_CHANGES, isWokChange } from '../../model/activity.js';
import { clock, failedAt, type CauseRule } from './facts.js';

/** Lifecycle lines cited: the first and the newest of the loop. */
const CITED = 4;

export const runtimeCrashLoop: CauseRule = ({ ticket, lifecycle, audits }) => {
  const wok = ticket.request?.wok;
  if (!ticket.error || !wok) return null;
  const onFunctions = /\/functions\b/.test(ticket.request?.path ?? '') || (ticket.error.code ?? '').startsWith('CP_FUNCTION');
  if (!onFunctions) return null;
  const at = failedAt(ticket);
  const fn = lifecycle.filter((r) => r.role === 'functions' && r.wok === wok && r.time <= at);
  const s = containerState(fn, at, DEFAULT_DIAG_CONFIG.functions);
  if (s.condition !== 'crash-looping' || s.since === null) return null;
  const marks = fn.filter((r) => r.time >= s.since! && (r.state === 'start' || r.state === 'crash')).sort((a, b) => a.time - b.time);
  // The change that started it, when the audit log has one in the loop window before the loop began.
  const since = s.since;
  const trigger = audits
    .filter((a) => a.wok === wok && isWokChange(a.action) && a.outcome !== 'failure' && a.time <= since + 5_000 && a.time >= since - DEFAULT_DIAG_CONFIG.functions.loopWindowMs)
    .sort((a, b) => b.time - a.time)[0];
  const after = trigger ? `, after ${trigger.actor ?? 'someone'} ${WOK_CHANGES[trigger.action]} (${trigger.action})` : '';
  const cited = marks.length > CITED ? [marks[0]!, ...marks.slice(-(CITED - 1))] : marks;
  return {
    rule: 'runtime-crash-loop',
    text: `The wok's functions runtime was crash-looping since ${clock(since)}${after} (${s.bootsSince} boots) when this request failed; it never stayed up to take the call.`,
    customerText: 'Your workspace\'s functions runtime keeps crashing on start; check its recent changes (environment, code) and its logs.',
    evidence: [...(trigger ? [trigger.eventId] : []), ...cited.map((r) => r.eventId)],
  };
};
