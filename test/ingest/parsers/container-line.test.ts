import { describe, expect, it } from 'vitest';
import { parseContainerLine } from '../../../src/ingest/parsers/container-line.js';
import type { ContainerRef } from '../../../src/model/event.js';
import { capturePino } from '../../../scripts/formats/pino-lines.js';
import { pgLine } from '../../../scripts/formats/postgres-log.js';

const T = Date.UTC(2026, 10, 24, 20, 22, 24, 843);
const CID = '5367500fbf670405';
const db: ContainerRef = { id: 'c'.repeat(64), name: 'wok-w1-db', wok: 'w1', role: 'db', image: 'postgres:16' };
const fn: ContainerRef = { id: 'f'.repeat(64), name: 'wok-w1-fn', wok: 'w1', role: 'functions', image: 'tellwang/functions:3' };

describe('the text inside a container record', () => {
  it('pino from the functions runtime: its id, level, error and code; Docker time orders it', () => {
    const p = capturePino({ wok_id: 'w1' });
    p.setTime(T - 5);
    p.logger.child({ correlation_id: CID.toUpperCase() }).error({ err: Object.assign(new Error('function "signup" threw'), { code: 'CP_FUNCTION_NOT_FOUND' }), fn: 'signup' }, 'invoke failed');
    const [text] = p.take();
    const e = parseContainerLine({ id: 'k:10', text: text!, stream: 'stdout', time: T, container: fn, fields: { _parts: 2 } });
    expect(e).toMatchObject({
      source: 'container',
      id: 'k:10',
      time: T,
      cid: CID,
      level: 'error',
      code: 'CP_FUNCTION_NOT_FOUND',
      wok: 'w1',
      message: 'invoke failed',
      format: 'pino',
      stream: 'stdout',
      container: fn,
      lifecycle: null,
    });
    expect(e.err).toMatchObject({ type: 'Error', message: 'function "signup" threw', code: 'CP_FUNCTION_NOT_FOUND' });
    expect(e.err!.stack).toContain('Error: function "signup" threw');
    expect(e.fields).toEqual({ pid: 1, hostname: 'fn-runtime', fn: 'signup', logged_time: T - 5, _parts: 2 });
  });

  it('pino lines without a wok take the container label', () => {
    const p = capturePino();
    p.logger.info('hello');
    expect(parseContainerLine({ id: 'k', text: p.take()[0]!, stream: 'stdout', time: T, container: fn })).toMatchObject({ wok: 'w1', cid: null, level: 'info' });
  });

  it('PostgreSQL from the db container: the cp:<cid> session line', () => {
    const text = pgLine({ time: T - 2, pid: 6178, application: `cp:${CID}`, severity: 'ERROR', message: 'relation "missing_table" does not exist' });
    const e = parseContainerLine({ id: 'k:20', text, stream: 'stderr', time: T, container: db });
    expect(e).toMatchObject({
      cid: CID,
      level: 'error',
      code: null,
      wok: 'w1',
      time: T,
      message: 'relation "missing_table" does not exist',
      format: 'postgres',
      fields: { pid: 6178, severity: 'ERROR', application: `cp:${CID}` },
      lifecycle: null,
      err: null,
    });
  });

  it('PostgreSQL background lines have no application and no id', () => {
    const e = parseContainerLine({ id: 'k', text: pgLine({ time: T, pid: 1, severity: 'LOG', message: 'database system is shut down' }), stream: 'stderr', time: T, container: db });
    expect(e).toMatchObject({ cid: null, format: 'postgres', fields: { pid: 1, severity: 'LOG' }, lifecycle: 'shutdown', level: 'info' });
    expect(e.fields).not.toHaveProperty('application');
  });

  it.each([
    ['plain progress text', 'info'],
    ['Error: connect ECONNREFUSED 10.0.0.3:5432', 'error'],
    ['Traceback (most recent call last):', 'error'],
    ['psql: ERROR:  syntax error', 'error'],
    ['an error happened (lower case is prose, not a marker)', 'info'],
  ])('plain text %j → %s', (text, level) => {
    const e = parseContainerLine({ id: 'k', text, stream: 'stdout', time: T, container: fn });
    expect(e).toMatchObject({ format: 'text', level, message: text, cid: null, wok: 'w1' });
  });

  it('JSON that is not pino is kept as text, whole', () => {
    const text = '{"event":"deploy","ok":true}';
    expect(parseContainerLine({ id: 'k', text, stream: 'stdout', time: T, container: fn })).toMatchObject({ format: 'text', message: text });
  });
});
