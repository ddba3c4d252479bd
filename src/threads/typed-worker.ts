/**
 * One way to run a thread of ours. A thread's protocol names, once, the data
 * it starts with and the messages each way; this side starts it and talks to
 * it in those types, thread-port.ts is the thread's end. Every thread starts
 * with the configuration of the redactor it must apply, from which its port
 * builds that redactor there once, and reports failures as thread-error.ts
 * data, keyed by DIAG_… code.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { projectRoot } from '../project-root.js';
import type { Redactor, RedactorConfig } from '../redact/redactor.js';

/** What a thread and the thread that starts it agree on. `never`: no messages that way. */
export interface ThreadProtocol<Data, ToThread, FromThread> {
  data: Data;
  toThread: ToThread;
  fromThread: FromThread;
}

export type AnyThreadProtocol = ThreadProtocol<unknown, unknown, unknown>;

/**
 * The workerData of every thread: its own data, and what the starting side's
 * redactor was built from (its patterns' sources, plain data): the thread
 * builds the same redactor from it, once (thread-port.ts).
 */
export interface ThreadStart<Data> {
  data: Data;
  redact: RedactorConfig;
}

/**
 * A thread needs a .js file: running from dist/ that is the module itself;
 * running the TypeScript sources (under vitest) it is the same module in
 * dist/, built by `npm run build`.
 */
function compiledModule(moduleUrl: string): string {
  const file = fileURLToPath(moduleUrl);
  if (file.endsWith('.js')) return file;
  const root = projectRoot();
  const built = path.join(root, 'dist', path.relative(root, file)).replace(/\.ts$/, '.js');
  if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build`);
  return built;
}

/**
 * The compiled file of the module `name` (no extension) beside the module at
 * `beside` (its import.meta.url): a .ts source names a .ts neighbour, a .js
 * build a .js one, and either is then found compiled.
 */
function threadModuleFile(beside: string, name: string): string {
  const ext = beside.endsWith('.ts') ? '.ts' : '.js';
  return compiledModule(new URL(`./${name}${ext}`, beside).href);
}

/** A thread's entry module, found when first started. */
export interface ThreadEntry<P extends AnyThreadProtocol> {
  /** The compiled .js file of the entry module. */
  file(): string;
  /** Carries the protocol's type only. */
  readonly protocol?: P;
}

/** The entry module `name` (no extension) beside the module at `beside` (its import.meta.url). */
export function threadEntry<P extends AnyThreadProtocol>(beside: string, name: string): ThreadEntry<P> {
  let file: string | null = null;
  return { file: () => (file ??= threadModuleFile(beside, name)) };
}

export interface StartOptions {
  /** The redactor the thread applies (usually the store's, or the one the CLI built from configuration); the thread builds its own copy. */
  redactor: Redactor;
  resourceLimits?: ResourceLimits;
}

/** A running thread, typed by its protocol. */
export class TypedWorker<P extends AnyThreadProtocol> {
  readonly #worker: Worker;

  constructor(worker: Worker) {
    this.#worker = worker;
  }

  post(message: P['toThread']): void {
    this.#worker.postMessage(message);
  }

  onMessage(listener: (message: P['fromThread']) => void): this {
    this.#worker.on('message', listener);
    return this;
  }

  /** An uncaught exception on the thread (the thread then stops). */
  onError(listener: (err: Error) => void): this {
    this.#worker.on('error', listener);
    return this;
  }

  onceExit(listener: (code: number) => void): this {
    this.#worker.once('exit', listener);
    return this;
  }

  terminate(): Promise<number> {
    return this.#worker.terminate();
  }
}

export function startThread<P extends AnyThreadProtocol>(entry: ThreadEntry<P>, data: P['data'], o: StartOptions): TypedWorker<P> {
  const workerData: ThreadStart<P['data']> = { data, redact: { patterns: [...o.redactor.config.patterns] } };
  return new TypedWorker<P>(new Worker(entry.file(), { workerData, ...(o.resourceLimits ? { resourceLimits: o.resourceLimits } : {}) }));
}
