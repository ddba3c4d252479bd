/**
 * Redaction of a parsed event: its free text (message, error text, request
 * path, audit actor) and its fields at any depth. The stores' encoder calls
 * it on every event whose encoded line the pre-check cannot clear.
 */
import type { ErrInfo, Event, Fields, Json } from '../model/event.js';
import { redactJson, redactText } from './redact.js';

function redactErr(err: ErrInfo): void {
  if (err.message !== null) err.message = redactText(err.message);
  if (err.hint !== null) err.hint = redactText(err.hint);
  if (err.stack !== null) err.stack = redactText(err.stack);
}

/**
 * Removes every secret the rules know from the event, in place (events are
 * the parser's own, fresh objects), and returns it.
 */
export function redactEvent<E extends Event>(e: E): E {
  e.message = redactText(e.message);
  e.fields = redactJson(e.fields as Json) as Fields;
  if (e.source === 'audit') {
    if (e.actor !== null) e.actor = redactText(e.actor);
    return e;
  }
  if (e.err) redactErr(e.err);
  if (e.source === 'cp' && e.http) e.http.path = redactText(e.http.path);
  return e;
}
