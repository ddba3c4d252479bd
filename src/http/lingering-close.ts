/**
 * Lingering close, as nginx does it: when the console answers before it has
 * read the whole request body (a 413, a 401 to an upload) and then closes
 * the connection, closing at once would reset a client that is still
 * sending — and the reset throws away the answer waiting in its receive
 * buffer (Python's http.client, Node's fetch: EPIPE, no status). Instead the
 * answer goes out with our FIN, and the socket keeps reading and discarding
 * until the body is complete, the client closes, or a bound is reached:
 * `maxBytes` more bytes read or `maxMs` elapsed. Then it is closed.
 *
 * Node closes a socket after an answer with Connection: close by calling
 * its destroySoon(); lingerOnClose(req) replaces that, per socket, with the
 * above whenever the socket's current request is not complete.
 */
import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';

export interface DrainBound {
  /** Most bytes read and discarded after the answer. */
  maxBytes: number;
  /** Longest the socket stays open after the answer. */
  maxMs: number;
}

/** 16 MiB (twice the largest default cap, POST /v1/ingest's) or 5 s (nginx's lingering_timeout), whichever comes first. */
export const DEFAULT_DRAIN_BOUND: DrainBound = { maxBytes: 16 * 1024 * 1024, maxMs: 5_000 };

interface Current {
  req: IncomingMessage;
  bound: DrainBound;
  /** socket.bytesRead when the body stopped being used: the byte bound counts from there. */
  discardFrom?: number;
  /** Set while draining: checks the bounds now (called for every discarded chunk). */
  check?: () => void;
}

const current = new WeakMap<Socket, Current>();

/** Makes `req`'s socket linger (within `bound`) if it is closed while `req`'s body is still arriving. */
export function lingerOnClose(req: IncomingMessage, bound: DrainBound): void {
  const socket = req.socket;
  const known = current.has(socket);
  current.set(socket, { req, bound });
  if (known) return;
  socket.destroySoon = function destroySoon(this: Socket): void {
    const c = current.get(this);
    if (!c || c.req.complete || this.destroyed) return Socket.prototype.destroySoon.call(this);
    drain(this, c);
  };
}

/** The rest of the current request's body on `socket` will be read only to be dropped. */
export function discarding(socket: Socket): void {
  const c = current.get(socket);
  if (c && c.discardFrom === undefined) c.discardFrom = socket.bytesRead;
}

/**
 * A discarded chunk of the body arrived on `socket`: close it if that passes
 * the bound; before the answer is out, stop reading there instead (the drain
 * then closes once the answer is written).
 */
export function drained(socket: Socket): void {
  const c = current.get(socket);
  if (!c) return;
  if (c.check) return c.check();
  if (c.discardFrom !== undefined && socket.bytesRead - c.discardFrom > c.bound.maxBytes) socket.pause();
}

function drain(socket: Socket, c: Current): void {
  if (socket.writable) socket.end();
  const start = c.discardFrom ?? socket.bytesRead;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    clearInterval(poll);
    socket.destroy();
    // Readers still waiting for the rest of the body settle (aborted) instead of waiting forever.
    c.req.destroy();
  };
  const check = () => {
    if (closed) return;
    if (c.req.complete) {
      // Everything the client sent has been read: closing now resets nothing, once our answer is out.
      if (socket.writableFinished) close();
      else socket.once('finish', close);
    } else if (socket.bytesRead - start > c.bound.maxBytes) close();
  };
  const timer = setTimeout(close, c.bound.maxMs);
  // A body nobody reads (Node discards it below the request) does not pass through drained(): look now and then.
  const poll = setInterval(check, 50);
  timer.unref();
  poll.unref();
  c.check = check;
  socket.once('close', () => {
    closed = true;
    clearTimeout(timer);
    clearInterval(poll);
  });
  check();
  if (!closed) socket.resume();
}
