/**
 * Sends one request to the fake cp over real HTTP, headers in the caller's
 * order (they are logged in that order), with the cp's public host name and a
 * Content-Length, as the platform's proxy forwards requests.
 */
import http from 'node:http';
import type { CpRequest, CpResponse } from './cp-plan.js';

export const CP_HOST = 'api.tellwang.dev';

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

export function sendRequest(port: number, r: CpRequest, extra: Record<string, string>): Promise<CpResponse> {
  const body = r.body === undefined ? null : Buffer.from(typeof r.body === 'string' ? r.body : JSON.stringify(r.body));
  const headers: Record<string, string> = { host: CP_HOST, ...r.headers };
  if (body) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(body.length);
  }
  Object.assign(headers, extra);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}
