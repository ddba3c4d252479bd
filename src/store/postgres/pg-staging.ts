/**
 * The staging table of request summaries, filled by `COPY … FROM STDIN`
 * (pg-copy-streams) before one INSERT … SELECT merges it into requests,
 * inside the write's transaction: COPY parses many short rows far cheaper
 * than the arrays of an unnest() INSERT, and the merge keeps the real table's
 * rules (the inventory join, row order). copyInto COPYs straight into a table.
 *
 * The table is TEMP (one per connection, never logged, never seen by
 * another session) and ON COMMIT DELETE ROWS (emptied at each commit, and a
 * rolled-back write takes its rows with it). Each write creates them if
 * missing, in its own transaction: a fresh pooled connection, or one whose
 * creating transaction rolled back (the CREATE goes with it), so has them.
 * Rows carry an `ord` that only grows for the life of the writer, so the
 * several writes of one transaction (a bulk batch's pieces) each merge just
 * their own rows without emptying the table in between; ord also keeps the
 * order the rows were given in.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import copyStreams from 'pg-copy-streams';
import type { Client } from './pg-connect.js';
import { copyChunks, type CopyValue } from './pg-copy-text.js';

/** The staging table's columns, in COPY order (ord first). */
export const REQUEST_COLUMNS = ['ord', 'cid', 'time', 'method', 'path', 'status', 'code', 'org', 'user_name', 'key_prefix', 'wok', 'duration_ms', 'message', 'event_time'] as const;

export type StagingTable = 'requests_in';

const CREATE = `
  CREATE TEMP TABLE IF NOT EXISTS requests_in (
    ord bigint NOT NULL, cid text NOT NULL, time bigint NOT NULL, method text NOT NULL, path text NOT NULL, status integer NOT NULL,
    code text, org text, user_name text, key_prefix text, wok text, duration_ms double precision, message text, event_time bigint NOT NULL
  ) ON COMMIT DELETE ROWS`;

export class Staging {
  private next = 0;

  /** Makes sure this connection has the staging tables; once at the start of each write transaction. */
  async prepare(c: Client): Promise<void> {
    await c.query(CREATE);
  }

  /**
   * COPYs rows into a staging table (each row's values in the table's column
   * order, ord left out: it is added here) and returns the first ord given,
   * the bound the merge selects from (`WHERE ord >= $1`).
   */
  async copy(c: Client, table: StagingTable, rows: Iterable<readonly CopyValue[]>): Promise<number> {
    // Numbered from a bound of this copy's own, not the shared counter as rows are pulled: two writes in flight on
    // two connections would interleave the counter and break `ord - first` = the row's index. Their ords may overlap;
    // each connection's staging tables are its own, and one transaction's copies run one after another.
    const first = this.next;
    let ord = first;
    const columns = REQUEST_COLUMNS;
    const numbered = (function* (): Generator<readonly CopyValue[]> {
      for (const row of rows) yield [ord++, ...row];
    })();
    await copyInto(c, `pg_temp.${table}`, columns, numbered);
    this.next = Math.max(this.next, ord);
    return first;
  }
}

/** COPYs rows into a table (names are constants of the caller, never input), each row's values in `columns`' order. */
export async function copyInto(c: Client, table: string, columns: readonly string[], rows: Iterable<readonly CopyValue[]>): Promise<void> {
  const sink = c.query(copyStreams.from(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(copyChunks(rows)), sink);
}
