/**
 * One pushed batch, parsed and committed: what POST /v1/ingest asks of the
 * ingest side. `inlinePush` does it on the calling thread (tests, one-off
 * apps); the server hands it to a thread of its own (start-push-worker.ts),
 * so parsing a large body and SQLite's synchronous write never hold up the
 * thread that answers HTTP.
 */
import type { Source } from '../../model/event.js';
import type { StreamInfo } from '../../model/stream.js';
import type { Store, WriteResult } from '../../store/store.js';
import { JournalMarks } from '../journal-marks.js';
import { DEFAULT_PG_LOG_LINE_PREFIX, pgPrefix } from '../parsers/pg-prefix.js';
import { parseBody } from './parse-body.js';

export interface PushJob {
  info: StreamInfo;
  body: Buffer;
  kind: Source | 'auto';
  /** Time of receipt (epoch ms), for unparsed lines. */
  now: number;
  idempotency?: { key: string; digest: string };
}

export interface PushResult {
  result: WriteResult;
  lines: number;
  /** journald entries stored before (by an earlier push), not stored again. */
  skipped: number;
  invalidUtf8: number;
  truncated: number;
}

export type PushIngest = (job: PushJob) => Promise<PushResult>;

/** `pgLogLinePrefix`: the log_line_prefix of PostgreSQL text lines in pushed bodies (DIAG_PG_LOG_LINE_PREFIX). */
export function inlinePush(store: Store, pgLogLinePrefix: string = DEFAULT_PG_LOG_LINE_PREFIX): PushIngest {
  const pg = pgPrefix(pgLogLinePrefix);
  return async (job) => {
    // journald entries pushed again (a shipper restarted) are stored once, as through `ingest -` (journal-marks.ts).
    // Jobs run one at a time on the server's push thread; concurrent pushes inline could both pass the same mark.
    const marks = new JournalMarks(store);
    await marks.prepare(job.body);
    const batch = parseBody(job.info, job.body, job.kind, job.now, store.redactor, marks, pg);
    const result = await store.writeBatch({
      streams: [{ stream: job.info, events: batch.events, unparsed: batch.unparsed, checkpoint: batch.checkpoint }, ...batch.gated],
      ...(job.idempotency ? { idempotency: job.idempotency } : {}),
    });
    return { result, lines: batch.lines, skipped: result.duplicate ? 0 : batch.skipped, invalidUtf8: batch.checkpoint.invalidUtf8, truncated: batch.checkpoint.truncated };
  };
}
