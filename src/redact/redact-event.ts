import type { Event, ErrInfo, Fields } from '../model/event.js';
import { redactJson, redactText } from './redact.js';

function redactErr(err: ErrInfo | null): ErrInfo | null {
  if (!err) return null;
  return {
    ...err,
    message: err.message === null ? null : redactText(err.message),
    hint: err.hint === null ? null : redactText(err.hint),
    stack: err.stack === null ? null : redactText(err.stack),
  };
}

/** The same event with every secret the rules know removed from its text and fields. */
export function redactEvent<E extends Event>(e: E): E {
  const out = { ...e, message: redactText(e.message), fields: redactJson(e.fields) as Fields };
  if (out.source === 'cp') {
    out.err = redactErr(out.err);
    if (out.http) out.http = { ...out.http, path: redactText(out.http.path) };
  } else if (out.source === 'container') {
    out.err = redactErr(out.err);
  } else {
    if (out.actor !== null) out.actor = redactText(out.actor);
  }
  return out;
}
