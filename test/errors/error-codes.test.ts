/**
 * One table of DIAG_… codes: every error class we raise names a code of it,
 * the HTTP error handler and the command line read status and exit code from
 * it, and README.md documents exactly that table.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OperatorError } from '../../src/access/operators.js';
import { PasswordError } from '../../src/access/passwords.js';
import { TokenError } from '../../src/access/api-tokens.js';
import { SeedFormatError } from '../../src/catalog/parse-seed.js';
import { UsageError } from '../../src/cli/context.js';
import { ConfigError } from '../../src/config.js';
import { CpDatabaseError } from '../../src/cpdb/cp-database.js';
import { codeOf, exitCodeOf, type CodedError } from '../../src/errors/coded-error.js';
import { DIAG_CODES, EX_SOFTWARE, type DiagCode } from '../../src/errors/diag-codes.js';
import { DiagError } from '../../src/errors/diag-error.js';
import { toDiagError } from '../../src/http/middleware/error-handler.js';
import { InventoryFileError } from '../../src/ingest/inventory-file.js';
import { PgPrefixError } from '../../src/ingest/parsers/pg-prefix.js';
import { InputError } from '../../src/ingest/readers/discover.js';
import { projectRoot } from '../../src/project-root.js';
import { CopyRefused } from '../../src/store/copy-refused.js';
import { CursorError } from '../../src/store/cursor.js';
import { IdempotencyConflict, StoreError } from '../../src/store/store.js';
import { fromThreadError, toThreadError } from '../../src/threads/thread-error.js';

/** One instance of every error class under src/, by class name. */
const SAMPLES: Record<string, CodedError[]> = {
  DiagError: [new DiagError('DIAG_NOT_FOUND', 'no such thing')],
  UsageError: [new UsageError('a mistake')],
  ConfigError: [new ConfigError('environment variable DIAG_PORT: not a number')],
  CursorError: [new CursorError()],
  StoreError: [new StoreError('/data/diag.sqlite: disk full', 'full')],
  IdempotencyConflict: [new IdempotencyConflict('k1')],
  InputError: [new InputError('/nope: no such file or directory')],
  InventoryFileError: [new InventoryFileError('inventory: not valid JSON')],
  PgPrefixError: [new PgPrefixError('log_line_prefix "%": ends with an incomplete escape')],
  CpDatabaseError: [new CpDatabaseError('relation "woks" does not exist', 'contract'), new CpDatabaseError('connection refused', 'unreachable')],
  SeedFormatError: [new SeedFormatError('no code rows found in the seed')],
  OperatorError: [new OperatorError('no operator a@b.test')],
  PasswordError: [new PasswordError('a password needs at least 12 characters')],
  TokenError: [new TokenError("a token's scope is operator or ingest")],
  CopyRefused: [new CopyRefused('--from and --to name the same store (./data/diag.sqlite)')],
  RebuiltError: [fromThreadError(toThreadError(new InputError('/gone: no such file or directory'))) as CodedError],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? sourceFiles(p) : d.name.endsWith('.ts') ? [p] : [];
  });
}

/** `class X extends Y` across src/, as [X, Y]. */
function classesUnderSrc(): [string, string][] {
  return sourceFiles(path.join(projectRoot(), 'src')).flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/\bclass (\w+) extends (\w+)/g)].map((m) => [m[1]!, m[2]!] as [string, string]),
  );
}

interface DocumentedRow {
  codes: DiagCode[];
  http: number | null;
  exit: number | null;
}

/** The table under "### Error codes and exit codes" in README.md. */
function documentedTable(): DocumentedRow[] {
  const readme = readFileSync(path.join(projectRoot(), 'README.md'), 'utf8');
  const lines = readme.split('### Error codes and exit codes\n')[1]!.split('\n');
  const table = lines.slice(lines.findIndex((l) => l.startsWith('| Code | HTTP | Exit |')));
  const rows = table.slice(2, table.findIndex((l) => !l.startsWith('|')));
  const cell = (v: string) => (v.trim() === '—' ? null : Number(v.trim()));
  return rows.map((row) => {
    const [codes, http, exit] = row.split(' | ').slice(0, 3) as [string, string, string];
    return { codes: [...codes.matchAll(/`(DIAG_[A-Z_]+)`/g)].map((m) => m[1] as DiagCode), http: cell(http), exit: cell(exit) };
  });
}

describe('the DIAG_ code table', () => {
  it('every error class under src/ derives from CodedError, and each has a code of the table', () => {
    const classes = classesUnderSrc();
    expect(classes.filter(([, base]) => base === 'Error').map(([name]) => name)).toEqual(['CodedError']);
    const coded = classes.filter(([, base]) => base === 'CodedError').map(([name]) => name);
    expect(coded.sort()).toEqual(Object.keys(SAMPLES).sort());
    for (const [name, errors] of Object.entries(SAMPLES)) {
      for (const e of errors) {
        expect(e.constructor.name, name).toBe(name);
        expect(codeOf(e), name).not.toBeNull();
      }
    }
  });

  it('README.md documents exactly the table: every code, its HTTP status and its exit code', () => {
    const documented = documentedTable();
    const seen = documented.flatMap((r) => r.codes);
    expect([...seen].sort()).toEqual(Object.keys(DIAG_CODES).sort());
    expect(new Set(seen).size).toBe(seen.length);
    for (const row of documented) {
      for (const code of row.codes) expect({ code, http: DIAG_CODES[code].http, exit: DIAG_CODES[code].exit }).toEqual({ code, http: row.http, exit: row.exit });
    }
  });

  it('the command line ends each failure with the exit code it always had', () => {
    const exits = (name: string) => SAMPLES[name]!.map(exitCodeOf);
    expect(exits('UsageError')).toEqual([2]);
    // OperatorError and TokenError were turned into usage errors by their commands.
    expect([...exits('OperatorError'), ...exits('TokenError')]).toEqual([2, 2]);
    for (const name of ['ConfigError', 'InputError', 'InventoryFileError', 'StoreError', 'CopyRefused']) expect(exits(name), name).toEqual([1]);
    for (const name of ['DiagError', 'IdempotencyConflict', 'CpDatabaseError', 'SeedFormatError']) expect(exits(name), name).toEqual(exits(name).map(() => EX_SOFTWARE));
    expect(exitCodeOf(new Error('a bug'))).toBe(EX_SOFTWARE);
    expect(exitCodeOf('thrown text')).toBe(EX_SOFTWARE);
  });

  it('an HTTP caller gets the status of the code, and nothing of a failure that is no answer of the API', () => {
    expect(toDiagError(new CursorError())).toMatchObject({ code: 'DIAG_INVALID_CURSOR', http: 400, message: 'the cursor is not one this server handed out' });
    expect(toDiagError(SAMPLES.StoreError![0])).toMatchObject({ code: 'DIAG_STORE_UNAVAILABLE', http: 503, message: 'the store failed: full' });
    expect(toDiagError(SAMPLES.IdempotencyConflict![0])).toMatchObject({ code: 'DIAG_IDEMPOTENCY_CONFLICT', http: 409 });
    expect(toDiagError(SAMPLES.CpDatabaseError![0])).toMatchObject({ code: 'DIAG_CP_CONTRACT_MISSING', http: 500 });
    expect(toDiagError(SAMPLES.CpDatabaseError![1])).toMatchObject({ code: 'DIAG_TIMEOUT', http: 503 });
    for (const name of ['UsageError', 'ConfigError', 'InputError', 'InventoryFileError', 'PgPrefixError', 'SeedFormatError', 'OperatorError', 'PasswordError', 'TokenError']) {
      expect(toDiagError(SAMPLES[name]![0]), name).toMatchObject({ code: 'DIAG_INTERNAL', http: 500, message: 'the console failed to answer this request' });
    }
    expect(toDiagError(new Error('a bug'))).toMatchObject({ code: 'DIAG_INTERNAL', http: 500 });
    const answer = SAMPLES.DiagError![0]!;
    expect(toDiagError(answer)).toBe(answer);
  });
});
