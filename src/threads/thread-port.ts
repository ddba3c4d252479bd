/**
 * A thread's end of its protocol (thread-protocol.ts): the data it was
 * started with, and messages both ways in the protocol's types. Opening it
 * builds, once, the redactor the thread was started with (the starting
 * side's configuration), so every thread redacts by the same configuration,
 * set up the same way.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { createRedactor, type Redactor } from '../redact/redactor.js';
import type { AnyThreadProtocol, ThreadStart } from './typed-worker.js';

export class ThreadPort<P extends AnyThreadProtocol> {
  readonly data: P['data'];
  /** The redactor of the starting side, built here from its configuration: what this thread redacts with. */
  readonly redactor: Redactor;
  readonly #port: MessagePort;

  constructor(port: MessagePort, data: P['data'], redactor: Redactor) {
    this.#port = port;
    this.data = data;
    this.redactor = redactor;
  }

  /** `transfer`: buffers of the message handed over rather than copied (unusable here afterwards). */
  post(message: P['fromThread'], transfer?: readonly ArrayBuffer[]): void {
    this.#port.postMessage(message, transfer);
  }

  onMessage(listener: (message: P['toThread']) => void): this {
    this.#port.on('message', listener);
    return this;
  }

  /** The port alone no longer keeps the thread alive. */
  unref(): void {
    this.#port.unref();
  }

  /** Closes the port: the thread ends once nothing else keeps it running. */
  close(): void {
    this.#port.close();
  }
}

/** Call once, at the top of a thread's entry module. */
export function openThreadPort<P extends AnyThreadProtocol>(): ThreadPort<P> {
  if (!parentPort) throw new Error('this module runs on a worker thread');
  const start = workerData as ThreadStart<P['data']>;
  return new ThreadPort<P>(parentPort, start.data, createRedactor(start.redact));
}
