/**
 * The bench's command line (bench.ts): sizes, what to skip, and the
 * PostgreSQL URL, checked before anything runs; parsed by node:util's
 * parseArgs, strict, so a mistyped flag stops the bench at once.
 */
import { parseArgs } from 'node:util';

export function benchOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      lines: { type: 'string', default: '1000000' },
      dir: { type: 'string' },
      json: { type: 'boolean', default: false },
      lookups: { type: 'string', default: '10000' },
      'http-clients': { type: 'string', default: '1' },
      'grep-ids': { type: 'string', default: '20' },
      'no-diag': { type: 'boolean', default: false },
      'no-http': { type: 'boolean', default: false },
      'no-grep': { type: 'boolean', default: false },
      'no-lnav': { type: 'boolean', default: false },
      'redact-ms': { type: 'string', default: '150' },
      searches: { type: 'string', default: '200' },
      pg: { type: 'string' },
      'no-consoles': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const count = (name: string, v: string, min: number) => {
    const n = Number(v.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} takes a whole number ≥ ${min}`);
    return n;
  };
  return {
    lines: count('lines', values.lines, 1000),
    dir: values.dir ?? null,
    json: values.json,
    lookups: count('lookups', values.lookups, 1),
    httpClients: count('http-clients', values['http-clients'], 1),
    grepIds: count('grep-ids', values['grep-ids'], 0),
    diag: !values['no-diag'],
    http: !values['no-http'],
    grep: !values['no-grep'],
    lnav: !values['no-lnav'],
    redactMs: count('redact-ms', values['redact-ms'], 1),
    searches: count('searches', values.searches, 1),
    pg: values.pg ?? null,
    consoles: !values['no-consoles'],
  };
}
