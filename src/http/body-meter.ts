/**
 * Counts a request body's bytes as the HTTP parser hands them to the request
 * stream — before any reader (a body parser, a route) sees them — so a body
 * sent without Content-Length (chunked) is stopped at its cap however the
 * route reads it, or whether it reads it at all.
 *
 * Past the cap, or once told to discard(), the meter passes nothing more on:
 * readers keep what they had and never see the body end (they do not act on
 * a truncated body), the bytes are counted and dropped, and the socket keeps
 * reading so a lingering close (lingering-close.ts) can drain it.
 */
import type { IncomingMessage } from 'node:http';
import { discarding as discardingOn, drained } from './lingering-close.js';

export interface BodyMeter {
  /** Body bytes received so far (discarded ones included). */
  readonly bytes: number;
  readonly discarding: boolean;
  /** Stop passing the body on; read and drop the rest. */
  discard(): void;
}

/** Meters `req`'s body against `cap`; `onOver` runs once, when the count passes it. */
export function meterBody(req: IncomingMessage, cap: number, onOver: (bytes: number) => void): BodyMeter {
  let bytes = 0;
  let discarding = false;
  const push = req.push;
  req.push = function meteredPush(this: IncomingMessage, chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk !== null && chunk !== undefined) bytes += (chunk as Buffer).length;
    if (discarding) {
      drained(req.socket);
      return true;
    }
    if (bytes > cap) {
      meter.discard();
      onOver(bytes);
      return true;
    }
    return push.call(this, chunk, encoding);
  };
  const meter: BodyMeter = {
    get bytes() {
      return bytes;
    },
    get discarding() {
      return discarding;
    },
    discard() {
      if (discarding) return;
      discarding = true;
      discardingOn(req.socket);
      // The socket may be paused for a reader that is not reading any more: keep it reading.
      req.resume();
      req.socket.resume();
    },
  };
  return meter;
}
