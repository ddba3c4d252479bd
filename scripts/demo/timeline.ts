/**
 * Everything the demo's scenarios schedule, before anything is written: cp
 * requests (sent later through the fake cps, in time order), audit entries,
 * lines inside containers (PostgreSQL text, the functions runtime's pino), and
 * cp lines outside any request. Scenarios only talk to this.
 */
import type { AuditInput } from '../formats/audit-log.js';
import { capturePino, type CapturedPino } from '../formats/pino-lines.js';
import { pgLine, type PgLineInput } from '../formats/postgres-log.js';
import { buildError, type ErrSpec } from './cp-errors.js';
import type { AppLevel, CpPlan, CpRequest } from './cp-plan.js';
import type { Prng } from './prng.js';
import { BROWSER, type DemoContainer, type DemoUser, type DemoWorld } from './world.js';

export type CpName = 'cp-1' | 'cp-2';

export interface ContainerLine {
  time: number;
  text: string;
  stream: 'stdout' | 'stderr';
}

export interface CpLooseLine {
  cp: CpName;
  time: number;
  level: AppLevel | 'fatal';
  obj: Record<string, unknown>;
  msg: string;
  err?: ErrSpec;
}

/** Who calls: a person with their key (or session), or an anonymous client. */
export interface Caller {
  ip: string;
  userAgent: string;
  /** The Authorization header value as sent (may be malformed on purpose). */
  authorization?: string;
  cookie?: string;
  user?: string;
  org?: string;
}

export interface RequestInput extends Omit<CpPlan, 'cid' | 'start' | 'durationMs' | 'body'> {
  at: number;
  durationMs: number;
  caller: Caller;
  method: string;
  path: string;
  /** The request body (a string is sent as is). */
  body?: unknown;
  /** The success response body, if not the route's default. */
  reply?: unknown;
  cp?: CpName;
}

export class DemoTimeline {
  readonly requests: { cp: CpName; request: CpRequest }[] = [];
  readonly audits: AuditInput[] = [];
  readonly cpLines: CpLooseLine[] = [];
  readonly containerLines = new Map<string, ContainerLine[]>();
  private readonly runtimes = new Map<string, CapturedPino>();
  private readonly sessions = new Map<string, string>();

  constructor(
    readonly rng: Prng,
    readonly world: DemoWorld,
    readonly now: number,
  ) {}

  /** Schedules a request; returns its plan (the correlation id is minted here). */
  request(r: RequestInput): CpPlan {
    const { at, caller, method, path, body, reply, cp, durationMs, ...rest } = r;
    if (at + durationMs > this.now) throw new Error(`request ${method} ${path} would end after now`);
    const plan: CpPlan = { cid: this.rng.cid(), start: at, durationMs, ...(caller.user ? { user: caller.user } : {}), ...rest, ...(reply !== undefined ? { body: reply } : {}) };
    const headers: Record<string, string> = { 'user-agent': caller.userAgent, accept: 'application/json' };
    if (caller.authorization) headers.authorization = caller.authorization;
    if (caller.cookie) headers.cookie = caller.cookie;
    headers['x-forwarded-for'] = caller.ip;
    headers['x-forwarded-proto'] = 'https';
    this.requests.push({ cp: cp ?? (this.rng.chance(0.5) ? 'cp-1' : 'cp-2'), request: { method, path, headers, body, plan } });
    return plan;
  }

  audit(a: Omit<AuditInput, 'time'> & { time: number }): void {
    this.audits.push(a);
  }

  cpLine(l: CpLooseLine): void {
    this.cpLines.push(l);
  }

  /** A PostgreSQL log line in a db container (PostgreSQL logs to stderr). */
  pg(c: DemoContainer, l: PgLineInput): void {
    this.text(c, l.time, pgLine(l), 'stderr');
  }

  /** A pino line of the functions runtime in its container. */
  fn(c: DemoContainer, time: number, level: AppLevel | 'fatal', obj: Record<string, unknown>, msg: string, err?: ErrSpec): void {
    let rt = this.runtimes.get(c.id);
    if (!rt) {
      // Docker sets a container's hostname to the first 12 characters of its id.
      rt = capturePino({}, c.id.slice(0, 12));
      this.runtimes.set(c.id, rt);
    }
    rt.setTime(time);
    rt.logger[level](err ? { ...obj, err: buildError(err, 'runtime') } : obj, msg);
    // The runtime's pino writes every level to stdout.
    for (const text of rt.take()) this.text(c, time, text, 'stdout');
  }

  /** A caller for a demo user: by key, or by the dashboard's session cookie. */
  as(u: DemoUser, how: 'key' | 'session' = 'key'): Caller {
    const base = { ip: u.ip, userAgent: u.userAgent, user: u.email, org: u.org };
    if (how === 'key') return { ...base, authorization: `Bearer ${u.key.key}` };
    return { ...base, userAgent: BROWSER, cookie: `tw_session=${this.sessionOf(u)}; tw_theme=dark` };
  }

  /** The user's dashboard session (one per user, minted on first use). */
  sessionOf(u: DemoUser): string {
    let session = this.sessions.get(u.email);
    if (!session) this.sessions.set(u.email, (session = this.rng.bytes(32).toString('base64url')));
    return session;
  }

  /** Every session cookie value handed out (they must never reach the store). */
  sessionValues(): string[] {
    return [...this.sessions.values()];
  }

  text(c: DemoContainer, time: number, text: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    let lines = this.containerLines.get(c.id);
    if (!lines) this.containerLines.set(c.id, (lines = []));
    lines.push({ time, text, stream });
  }
}


export const MIN = 60_000;
