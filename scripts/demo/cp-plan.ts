/**
 * What the caller scripts for one request to the fake cp: its correlation id,
 * simulated start and duration, the app lines the cp logs while handling it,
 * and its outcome. The fake reads the plan by a token header it removes before
 * pino-http sees the request, so the logs carry nothing of the scripting.
 */
import type { ErrSpec } from './cp-errors.js';

export type CpMode = 'req-id' | 'correlation-id';

export type AppLevel = 'debug' | 'info' | 'warn' | 'error';

/** A line the cp's handler logs while working on the request. */
export interface AppLine {
  /** Milliseconds after the request started. */
  at: number;
  level: AppLevel;
  msg: string;
  fields?: Record<string, string | number | boolean | null>;
  err?: ErrSpec;
}

export interface CpFailure {
  code: string;
  message: string;
  /** Defaults to the code's status in the cp's table. */
  status?: number;
  /** The underlying error (an upstream's answer, a refused connection…), logged as the cause. */
  cause?: ErrSpec;
}

export interface CpPlan {
  cid: string;
  /** Simulated time the request arrived (epoch ms). */
  start: number;
  durationMs: number;
  /** The org and wok the cp resolved from the caller and path, if it got that far. */
  org?: string;
  wok?: string;
  /** The user behind the key or session, when the cp logs it. */
  user?: string;
  lines?: AppLine[];
  /** Absent: the route answers its success. */
  fail?: CpFailure;
  /** A success body other than the route's default. */
  body?: unknown;
  status?: number;
  /** Extra response headers (X-LLM-Source, Retry-After…). */
  headers?: Record<string, string>;
}

export interface CpRequest {
  method: string;
  path: string;
  /** In the order the client sends them; `host` defaults to the cp's public name. */
  headers?: Record<string, string>;
  /** A string is sent as is (to send broken JSON); anything else as JSON. */
  body?: unknown;
  plan: CpPlan;
}

export interface CpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
