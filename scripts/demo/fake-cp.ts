/**
 * A small fake control plane: a real express 5 app logging through the real
 * pino-http, in either configuration production runs, on a simulated clock.
 * The caller scripts each request (CpPlan) and drives it over real HTTP on
 * 127.0.0.1; the NDJSON lines go to the stream given. Requests are meant to be
 * sent one at a time (the clock is shared), which is how the demo drives it.
 */
import express from 'express';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type DestinationStream, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { cpRoutes, type CpContext } from './cp-routes.js';
import { sendRequest } from './cp-client.js';
import type { CpMode, CpPlan, CpRequest, CpResponse } from './cp-plan.js';

export interface FakeCpOptions {
  mode: CpMode;
  /** Written as pino's `hostname`. */
  hostname: string;
  pid: number;
  out: DestinationStream;
}

export interface FakeCp {
  url: string;
  /** The cp's base logger (for lines outside requests: startup, background jobs). */
  logger: Logger;
  /** Sets the simulated time the next lines carry. */
  setClock(ms: number): void;
  request(r: CpRequest): Promise<CpResponse>;
  close(): Promise<void>;
}

/** The header carrying the plan's token; removed before anything logs the request. */
export const PLAN_HEADER = 'x-demo-plan';

export async function startFakeCp(o: FakeCpOptions): Promise<FakeCp> {
  let clock = 0;
  const logger = pino({ base: { pid: o.pid, hostname: o.hostname }, timestamp: () => `,"time":${clock}` }, o.out);
  const plans = new Map<string, { plan: CpPlan; logged: () => void }>();
  let serial = 0;

  const app = express();
  app.disable('x-powered-by');
  // Behind the platform's proxy: req.ip is the client from X-Forwarded-For.
  app.set('trust proxy', 'loopback');

  app.use((req, res, next) => {
    const token = req.headers[PLAN_HEADER];
    delete req.headers[PLAN_HEADER];
    const entry = typeof token === 'string' ? plans.get(token) : undefined;
    const plan: CpPlan = entry?.plan ?? { cid: randomBytes(8).toString('hex'), start: clock, durationMs: 1 };
    const ctx: CpContext = { mode: o.mode, plan, logger, setClock: (ms) => (clock = ms) };
    res.locals.cp = ctx;
    clock = plan.start;
    // These listeners come before pino-http's (which logs on finish or close,
    // whichever is first): defer, so the caller resumes once the line is written.
    const logged = () => setImmediate(() => entry?.logged());
    res.once('finish', logged);
    res.once('close', logged);
    next();
  });

  // pino-http's own figure, Date.now() - res[startTime], would be the real
  // handling time (and even a start set back by the planned duration drifts by
  // a millisecond or a GC pause between its two clock reads): the objects it
  // logs get the simulated duration through the hooks it offers for them.
  const duration = {
    customSuccessObject: (_req: IncomingMessage, res: ServerResponse, val: Record<string, unknown>) => ({ ...val, responseTime: ctxOf(res).plan.durationMs }),
    customErrorObject: (_req: IncomingMessage, res: ServerResponse, _err: Error, val: Record<string, unknown>) => ({ ...val, responseTime: ctxOf(res).plan.durationMs }),
  };
  app.use(
    o.mode === 'req-id'
      ? pinoHttp({
          logger,
          ...duration,
          genReqId: (_req, res) => ctxOf(res).plan.cid,
          quietReqLogger: true,
          serializers: { req: proxiedClient },
        })
      : pinoHttp({
          logger,
          ...duration,
          // The same bindings at the start and the end of the request (pino-http asks twice).
          customProps: (_req, res) => {
            const { cid, user } = ctxOf(res).plan;
            return user ? { correlation_id: cid, user } : { correlation_id: cid };
          },
          customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
          serializers: { req: proxiedClient },
        }),
  );
  app.use(cpRoutes(ctxOf));

  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    logger,
    setClock(ms) {
      clock = ms;
    },
    async request(r) {
      const token = String(++serial);
      let logged!: () => void;
      const done = new Promise<void>((resolve) => (logged = resolve));
      plans.set(token, { plan: r.plan, logged });
      try {
        const res = await sendRequest(port, r, { [PLAN_HEADER]: token });
        await done;
        return res;
      } finally {
        plans.delete(token);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function ctxOf(res: unknown): CpContext {
  return (res as express.Response).locals.cp as CpContext;
}

/**
 * The cp logs the client's address from X-Forwarded-For (req.ip) rather than
 * the proxy's socket, and so no socket port: pino-http's serializer hook.
 */
function proxiedClient(req: { remoteAddress?: string; remotePort?: number; raw: unknown }) {
  req.remoteAddress = (req.raw as express.Request).ip;
  req.remotePort = undefined;
  return req;
}
