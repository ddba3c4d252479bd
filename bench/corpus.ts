/**
 * A realistic corpus for the bench, written to real files in the layouts we
 * ingest: the logs of two cp replicas in pino-http's shape, the audit log, and
 * Docker container directories (PostgreSQL text and functions-runtime pino
 * inside json-file records, now and then a line over 16 KiB that Docker splits
 * into partial records). Deterministic for a given seed and size.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, openSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { auditLine } from '../scripts/formats/audit-log.js';
import { containerConfig, dockerRecords } from '../scripts/formats/docker-json-file.js';
import { pgLine } from '../scripts/formats/postgres-log.js';
import { seeded } from './stats.js';

export interface Corpus {
  dir: string;
  files: string[];
  lines: number;
  bytes: number;
  /** Requests written (one correlation id each). */
  requests: number;
  /** A uniform random sample (reservoir) of the requests' correlation ids, for lookups. */
  cids: string[];
}

/** How many correlation ids the corpus keeps for lookups, drawn uniformly from all requests. */
export const CID_SAMPLE = 20_000;


class Sink {
  private fd: number;
  private buf: string[] = [];
  private size = 0;
  lines = 0;
  bytes = 0;
  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.fd = openSync(file, 'w');
  }
  write(line: string): void {
    this.buf.push(line);
    this.size += line.length;
    this.lines++;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (!this.buf.length) return;
    const b = Buffer.from(this.buf.join(''));
    writeSync(this.fd, b);
    this.bytes += b.length;
    this.buf = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

const ROUTES = [
  ['GET', '/v1/woks/{w}', 200],
  ['GET', '/v1/woks/{w}/status', 200],
  ['POST', '/v1/woks/{w}/sql', 200],
  ['PUT', '/v1/woks/{w}/env/API_URL', 204],
  ['POST', '/v1/woks/{w}/functions/hello/invoke', 200],
  ['POST', '/v1/woks/{w}/sql', 502],
  ['GET', '/v1/woks/{w}/triggers', 200],
  ['POST', '/v1/llm/chat/completions', 200],
  ['GET', '/v1/woks/nosuch', 404],
] as const;

const HEADERS = {
  host: 'cp.tellwang.dev',
  'user-agent': 'tellwang-cli/1.8.2 node/20.20.2',
  accept: 'application/json',
  'accept-encoding': 'gzip, deflate, br',
  'content-type': 'application/json',
  'x-forwarded-for': '203.0.113.7',
  'x-forwarded-proto': 'https',
};

export function writeCorpus(dir: string, targetLines: number, seed = 42, sampleSize = CID_SAMPLE): Corpus {
  const r = seeded(seed);
  // A separate generator for the sample, so the files do not depend on its size.
  const pick = seeded(seed ^ 0x5bd1e995);
  const hex = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[(r() * 16) | 0];
    return s;
  };
  const woks = Array.from({ length: 24 }, (_, i) => ({ id: `w${i}${hex(4)}`, org: `org${i % 6}` }));
  const containers = woks.flatMap((w) =>
    (['db', 'functions'] as const).map((role) => {
      const id = createHash('sha256').update(w.id + role).digest('hex');
      const cdir = path.join(dir, 'containers', id);
      mkdirSync(cdir, { recursive: true });
      const cfg = containerConfig({ id, name: `${w.id}-${role}`, image: role === 'db' ? 'postgres:16-alpine' : 'tellwang/fnrt:3', labels: { 'tellwang.wok': w.id, 'tellwang.role': role }, created: 1764000000000 });
      const fd = openSync(path.join(cdir, 'config.v2.json'), 'w');
      writeSync(fd, cfg);
      closeSync(fd);
      return { wok: w.id, role, sink: new Sink(path.join(cdir, `${id}-json.log`)) };
    }),
  );
  const replicas = [new Sink(path.join(dir, 'cp', 'cp-1.log')), new Sink(path.join(dir, 'cp', 'cp-2.log'))];
  const audit = new Sink(path.join(dir, 'audit', 'audit.log'));
  const keys = woks.map(() => `skl_${hex(64)}`);
  const cids: string[] = [];
  let requests = 0;
  let t = 1764000000000;
  let total = 0;
  const all = () => replicas.reduce((n, s) => n + s.lines, 0) + audit.lines + containers.reduce((n, c) => n + c.sink.lines, 0);
  while (total < targetLines) {
    t += 1 + ((r() * 40) | 0);
    const wi = (r() * woks.length) | 0;
    const w = woks[wi]!;
    const [method, tmpl, status] = ROUTES[(r() * ROUTES.length) | 0]!;
    const url = tmpl.replace('{w}', w.id);
    const cid = hex(16);
    requests++;
    if (cids.length < sampleSize) cids.push(cid);
    else {
      const j = Math.floor(pick() * requests);
      if (j < sampleSize) cids[j] = cid;
    }
    const replica = r() < 0.5 ? 0 : 1;
    const cp = replicas[replica]!;
    const hostname = `cp-${replica + 1}`;
    const dur = 2 + ((r() * 300) | 0);
    cp.write(JSON.stringify({ level: 30, time: t, pid: 7, hostname, correlation_id: cid, wok_id: w.id, org: w.org, msg: 'wok resolved' }) + '\n');
    const db = containers[wi * 2]!;
    const fn = containers[wi * 2 + 1]!;
    if (url.endsWith('/sql')) {
      for (const l of dockerRecords({ text: pgLine({ time: t + 2, pid: 400 + ((r() * 100) | 0), application: `cp:${cid}`, severity: status === 502 ? 'ERROR' : 'LOG', message: status === 502 ? 'relation "missing_table" does not exist at character 15' : 'duration: 3.114 ms  statement: SELECT id, name FROM items LIMIT 50' }), stream: 'stderr', time: t + 2, ns: (r() * 1e6) | 0 })) db.sink.write(l);
    } else if (url.includes('/invoke')) {
      fn.sink.write(dockerRecords({ text: JSON.stringify({ level: 30, time: t + 1, pid: 1, hostname: fn.wok + '-fn', correlation_id: cid, fn: 'hello', msg: 'invoke start' }), stream: 'stdout', time: t + 1 })[0]!);
      if (r() < 0.0005) {
        // A handler that logs a whole payload: one line over 16 KiB, which Docker writes as partial records.
        const payload = { items: Array.from({ length: 300 }, (_, i) => ({ id: i, name: `item-${i}-${hex(8)}`, tags: ['a', 'b'], price: i * 3 })) };
        for (const l of dockerRecords({ text: JSON.stringify({ level: 40, time: t + 2, pid: 1, hostname: fn.wok + '-fn', correlation_id: cid, fn: 'hello', payload, msg: 'payload larger than expected' }), stream: 'stdout', time: t + 2 })) fn.sink.write(l);
      }
      fn.sink.write(dockerRecords({ text: JSON.stringify({ level: 30, time: t + dur, pid: 1, hostname: fn.wok + '-fn', correlation_id: cid, fn: 'hello', duration_ms: dur - 1, msg: 'invoke done' }), stream: 'stdout', time: t + dur })[0]!);
    }
    if (r() < 0.05) {
      for (const l of dockerRecords({ text: pgLine({ time: t, pid: 28, severity: 'LOG', message: 'checkpoint complete: wrote 42 buffers (0.3%); 0 WAL file(s) added, 0 removed, 0 recycled; write=4.213 s, sync=0.004 s, total=4.229 s' }), stream: 'stderr', time: t })) db.sink.write(l);
    }
    const completion: Record<string, unknown> = {
      level: status >= 500 ? 50 : 30,
      time: t + dur,
      pid: 7,
      hostname,
      correlation_id: cid,
      org: w.org,
      req: { id: cid, method, url, query: {}, params: {}, headers: { ...HEADERS, authorization: `Bearer ${keys[wi]}`, 'content-length': String(20 + ((r() * 400) | 0)) }, remoteAddress: '::ffff:10.0.3.17', remotePort: 40000 + ((r() * 20000) | 0) },
      res: { statusCode: status, headers: { 'x-powered-by': 'Express', 'x-correlation-id': cid, 'content-type': 'application/json; charset=utf-8', 'content-length': '512', etag: `W/"200-${hex(27)}"` } },
      responseTime: dur,
      msg: status >= 400 ? 'request errored' : 'request completed',
    };
    if (status === 502) completion.err = { type: 'CpError', message: 'exec_sql failed: connect ECONNREFUSED 172.18.0.4:5432', stack: 'CpError: exec_sql failed\n    at execSql (/app/dist/woks/sql.js:88:11)\n    at async /app/dist/routes/woks.js:141:5', code: 'CP_EXEC_SQL_FAILED', status: 502 };
    if (status === 404) completion.err = { type: 'CpError', message: 'no active project with that wok_id in this org', stack: 'CpError: not found\n    at resolveWok (/app/dist/woks/resolve.js:21:9)', code: 'CP_PROJECT_NOT_FOUND', status: 404 };
    cp.write(JSON.stringify(completion) + '\n');
    if (method !== 'GET' && r() < 0.6) {
      audit.write(auditLine({ time: t + dur, actor: `u_${wi}`, org: w.org, action: url.includes('/sql') ? 'wok.sql.exec' : url.includes('/env') ? 'wok.env.set' : 'wok.function.invoke', outcome: status < 400 ? 'success' : 'failure', correlationId: cid, ip: '203.0.113.7', wokId: w.id }) + '\n');
    }
    if ((requests & 1023) === 0) total = all();
  }
  for (const s of replicas) s.close();
  audit.close();
  for (const c of containers) c.sink.close();
  const sinks = [...replicas, audit, ...containers.map((c) => c.sink)];
  return { dir, files: sinks.map((s) => s.file), lines: sinks.reduce((n, s) => n + s.lines, 0), bytes: sinks.reduce((n, s) => n + s.bytes, 0), requests, cids };
}
