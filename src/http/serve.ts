/** Listening, apart from building the app: what `tellwang-diag serve` runs. */
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { deferContinue } from './middleware/body-limit.js';

export interface Serving {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * The HTTP server for the app. Node answers `Expect: 100-continue` itself,
 * before the app sees the request, unless the server has a 'checkContinue'
 * listener: this one hands the request to the app and leaves the interim
 * answer to limitBodies, which sends 100 Continue for a body within its cap
 * and the 413 instead for one over it (the client then never sends it).
 */
export function createHttpServer(app: express.Express): Server {
  const server = http.createServer(app);
  server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
    deferContinue(req);
    app(req as express.Request, res as express.Response);
  });
  return server;
}

export function listen(app: express.Express, port: number, host: string): Promise<Serving> {
  return new Promise((resolve, reject) => {
    const server = createHttpServer(app);
    server.once('error', reject);
    server.listen(port, host);
    server.once('listening', () => {
      server.off('error', reject);
      server.headersTimeout = 20_000;
      server.requestTimeout = 60_000;
      server.keepAliveTimeout = 5_000;
      const a = server.address() as AddressInfo;
      const shown = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      resolve({
        server,
        url: `http://${shown}:${a.port}`,
        close: () =>
          new Promise<void>((res) => {
            server.close(() => res());
            server.closeIdleConnections();
          }),
      });
    });
  });
}
