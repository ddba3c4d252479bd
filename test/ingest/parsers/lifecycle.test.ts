/**
 * Lifecycle rules on the lines PostgreSQL 16 (the official postgres:16 image) and
 * the functions runtime really print, run through the container-line parser.
 */
import { describe, expect, it } from 'vitest';
import { parseContainerLine } from '../../../src/ingest/parsers/container-line.js';
import type { ContainerRef, Lifecycle } from '../../../src/model/event.js';
import { capturePino } from '../../../scripts/formats/pino-lines.js';

const T = Date.UTC(2026, 10, 24, 20, 22, 24, 843);
const db: ContainerRef = { id: 'c'.repeat(64), name: 'wok-w1-db', wok: 'w1', role: 'db', image: 'postgres:16' };
const fn: ContainerRef = { id: 'f'.repeat(64), name: 'wok-w1-fn', wok: 'w1', role: 'functions', image: 'tellwang/functions:3' };

function states(lines: string[], c = db): (Lifecycle | null)[] {
  return lines.map((text, i) => parseContainerLine({ id: `k:${i}`, text, stream: 'stderr', time: T + i, container: c }).lifecycle);
}

const P = (pid: number, sev: string, msg: string, app?: string) => `2026-11-24 20:22:24.843 UTC [${pid}] ${app ? app + ' ' : ''}${sev}:  ${msg}`;

describe('PostgreSQL 16 lifecycle', () => {
  it('a clean start', () => {
    expect(
      states([
        P(1, 'LOG', 'starting PostgreSQL 16.4 (Debian 16.4-1.pgdg120+2) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit'),
        P(1, 'LOG', 'listening on IPv4 address "0.0.0.0", port 5432'),
        P(1, 'LOG', 'listening on IPv6 address "::", port 5432'),
        P(1, 'LOG', 'listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"'),
        P(29, 'LOG', 'database system was shut down at 2026-11-24 20:19:55 UTC'),
        P(1, 'LOG', 'database system is ready to accept connections'),
      ]),
    ).toEqual(['start', null, null, null, 'start', 'ready']);
  });

  it("the image's first boot (entrypoint text around the server's lines)", () => {
    expect(
      states([
        'The files belonging to this database system will be owned by user "postgres".',
        'waiting for server to start....2026-11-24 20:19:50.101 UTC [48] LOG:  starting PostgreSQL 16.4 (Debian 16.4-1.pgdg120+2) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit',
        'PostgreSQL init process complete; ready for start up.',
      ]),
    ).toEqual([null, 'start', 'start']);
  });

  it('a fast shutdown (docker stop)', () => {
    expect(
      states([
        P(1, 'LOG', 'received fast shutdown request'),
        P(1, 'LOG', 'aborting any active transactions'),
        P(812, 'FATAL', 'terminating connection due to administrator command', 'cp:5367500fbf670405'),
        P(1, 'LOG', 'background worker "logical replication launcher" (PID 35) exited with exit code 1'),
        P(27, 'LOG', 'shutting down'),
        P(27, 'LOG', 'checkpoint starting: shutdown immediate'),
        P(27, 'LOG', 'checkpoint complete: wrote 3 buffers (0.0%); 0 WAL file(s) added, 0 removed, 0 recycled; write=0.002 s, sync=0.001 s, total=0.006 s; sync files=2, longest=0.001 s, average=0.001 s; distance=0 kB, estimate=0 kB; lsn=0/1A2B3C8, redo lsn=0/1A2B3C8'),
        P(1, 'LOG', 'database system is shut down'),
      ]),
    ).toEqual(['stopping', 'stopping', null, null, 'stopping', null, null, 'shutdown']);
  });

  it('smart and immediate shutdowns', () => {
    expect(states([P(1, 'LOG', 'received smart shutdown request'), P(1, 'LOG', 'received immediate shutdown request')])).toEqual(['stopping', 'stopping']);
  });

  it('a backend killed by the OOM killer, then crash recovery', () => {
    expect(
      states([
        P(1, 'LOG', 'server process (PID 812) was terminated by signal 9: Killed'),
        P(1, 'DETAIL', 'Failed process was running: SELECT * FROM big ORDER BY 1'),
        P(1, 'LOG', 'terminating any other active server processes'),
        P(1, 'LOG', 'all server processes terminated; reinitializing'),
        P(60, 'LOG', 'database system was interrupted; last known up at 2026-11-24 20:19:55 UTC'),
        P(60, 'LOG', 'database system was not properly shut down; automatic recovery in progress'),
        P(60, 'LOG', 'redo starts at 0/1A2B3C8'),
        P(60, 'LOG', 'invalid record length at 0/1A2C000: expected at least 24, got 0'),
        P(60, 'LOG', 'redo done at 0/1A2BFD0 system usage: CPU: user: 0.00 s, system: 0.00 s, elapsed: 0.00 s'),
        P(58, 'LOG', 'checkpoint starting: end-of-recovery immediate wait'),
        P(1, 'LOG', 'database system is ready to accept connections'),
      ]),
    ).toEqual(['crash', null, 'crash', 'crash', 'recovery', 'recovery', 'recovery', null, null, null, 'ready']);
  });

  it('a PANIC takes the server down; per-session FATALs do not', () => {
    expect(
      states([
        P(29, 'PANIC', 'could not write to file "pg_wal/xlogtemp.29": No space left on device'),
        P(1, 'LOG', 'WAL writer process (PID 29) was terminated by signal 6: Aborted'),
        P(91, 'FATAL', 'password authentication failed for user "app"', 'cp:5367500fbf670405'),
        P(92, 'FATAL', 'the database system is starting up', 'cp:5367500fbf670405'),
        P(93, 'FATAL', 'role "nobody" does not exist', 'psql'),
        P(94, 'FATAL', 'terminating connection due to administrator command', 'psql'),
        P(95, 'ERROR', 'canceling statement due to user request', 'psql'),
      ]),
    ).toEqual(['crash', 'crash', null, null, null, null, null]);
  });

  it('a standby / read-only start', () => {
    expect(states([P(1, 'LOG', 'database system is ready to accept read-only connections')])).toEqual(['ready']);
  });
});

describe('functions runtime lifecycle (pino lines)', () => {
  it('listen, shutdown, fatal', () => {
    const p = capturePino({ wok_id: 'w1' });
    p.logger.info('starting functions runtime v3.2.1');
    p.logger.info({ port: 8080 }, 'functions runtime listening on 0.0.0.0:8080');
    p.logger.info({ fn: 'signup' }, 'function invoked');
    p.logger.info('received SIGTERM, shutting down');
    p.logger.fatal({ err: new Error('listen EADDRINUSE: address already in use 0.0.0.0:8080') }, 'cannot bind the runtime port');
    p.logger.fatal({ err: new Error('boom') }, 'uncaught exception');
    p.logger.error({ err: new Error('timeout') }, 'function failed');
    expect(states(p.take(), fn)).toEqual(['start', 'ready', null, 'stopping', 'crash', 'crash', null]);
  });

  it('plain-text runtimes', () => {
    expect(states(['Server listening at http://0.0.0.0:8080', 'npm error signal SIGTERM', 'Segmentation fault (core dumped)', 'hello'], fn)).toEqual([
      'ready',
      'stopping',
      'crash',
      null,
    ]);
  });
});
