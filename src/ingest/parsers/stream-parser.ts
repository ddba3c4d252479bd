/**
 * Turns the lines of one stream into events, statefully but without I/O: the
 * reader hands it complete lines with their byte offsets; it detects each
 * line's format, joins Docker's partial records, redacts, and collects events
 * and unparsed lines for the next batch.
 */
import path from 'node:path';
import type { ContainerRef, Event, Unparsed } from '../../model/event.js';
import type { StreamInfo } from '../../model/stream.js';
import { DEFAULT_REDACTOR, type Redactor } from '../../redact/redactor.js';
import { isAuditRecord, parseAuditRecord } from './audit.js';
import { parseContainerLine, postgresTextEvent } from './container-line.js';
import { DockerAssembler, type AssembledLine } from './docker-assembler.js';
import { isDockerRecord, parseDockerRecord } from './docker-json.js';
import { isPinoRecord, parseCpRecord } from './cp-pino.js';
import { isObj, type Obj } from './pino-fields.js';
import { DEFAULT_PG_PREFIX, type PgLinePrefix } from './pg-prefix.js';
import { parsePostgresText } from './postgres-text.js';
import { isJournaldRecord, JournaldParser } from './journald.js';
import { isPostgresJson, parsePostgresJson } from './postgres-json.js';

export interface LineFlags {
  invalidUtf8?: boolean;
  /** The line was longer than the cap; `text` holds its first part. */
  truncated?: boolean;
  /** The line's full length in bytes (when truncated). */
  bytes?: number;
}

/** The flags of a whole line of valid UTF-8 (most lines): one object for all of them. */
export const WHOLE_LINE: LineFlags = Object.freeze({ invalidUtf8: false, truncated: false, bytes: undefined });

export const UNPARSED_HEAD = 240;

/** Every JSON line format read outside a Docker log file, as the unparsed reason lists them. */
export const NO_KNOWN_FORMAT = 'JSON, but no known format (pino, Docker json-file, audit, journald, PostgreSQL jsonlog)';
export const NOT_A_RECORD = 'JSON, but not a Docker json-file record (the only lines of a container log file)';
const BLANK = /^\s*$/;

function offsetOf(id: string): number {
  return Number(id.slice(id.lastIndexOf(':') + 1));
}

/**
 * What the parser keeps of an event until take() (the event, or what bulk
 * ingest makes of it at once), given the offset its id ends with and whether
 * events may have been or yet be added out of offset order: while not, the
 * ones added later all have larger offsets.
 */
export type KeepEvent<T> = (e: Event, offset: number, mayReorder: boolean) => T;

export class StreamParser<T extends { source: Event['source']; time: number } = Event> {
  readonly events: T[] = [];
  /** The offset of each kept event, in the order of `events`. */
  private offsets: number[] = [];
  readonly unparsed: Unparsed[] = [];
  private readonly assembler: DockerAssembler;
  private readonly refs = new Map<string, ContainerRef>();
  private fileContainer: ContainerRef | null = null;
  /** journalctl -o json entries (created at the first one). */
  private journald: JournaldParser | null = null;
  /** Set when an event was added out of offset order (a joined Docker line). */
  private unordered = false;
  /** Set once lines may complete out of offset order: a Docker or journald record was read (or the stream is Docker's). */
  private reorders: boolean;

  constructor(
    private readonly stream: StreamInfo,
    private readonly maxLine: number,
    /** The log_line_prefix PostgreSQL text lines are written with (DIAG_PG_LOG_LINE_PREFIX). */
    private readonly pg: PgLinePrefix = DEFAULT_PG_PREFIX,
    /** Redacts the first bytes kept of an unparsed line: the store's, where lines are read for one. */
    private readonly redactor: Redactor = DEFAULT_REDACTOR,
    private readonly keep: KeepEvent<T> = ((e: Event) => e) as unknown as KeepEvent<T>,
  ) {
    this.assembler = new DockerAssembler(maxLine);
    this.reorders = stream.kind === 'docker';
  }

  /** Feeds one complete line (without its newline) that starts at byte `offset` and is line number `lineNo`. */
  push(text: string, offset: number, lineNo: number, flags: LineFlags = {}): void {
    // A byte-order mark (files saved by some editors) is not part of the line.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    // Blank lines carry nothing to keep: neither events nor unparsed. Every white space \s knows is below 0x21 or from 0xa0 on.
    const c0 = text.charCodeAt(0);
    if (!flags.truncated && !(c0 > 32 && c0 < 0xa0) && BLANK.test(text)) return;
    const id = `${this.stream.key}:${offset}`;
    let o: Obj | null = null;
    if (text.charCodeAt(0) === 123 /* { */ && !flags.truncated) {
      try {
        const v: unknown = JSON.parse(text);
        if (isObj(v)) o = v;
      } catch {
        o = null;
      }
    }
    if (o) {
      if (isDockerRecord(o)) return this.docker(o, offset, lineNo, text, flags);
      if (this.stream.kind !== 'docker') {
        if (isPinoRecord(o)) return this.add(parseCpRecord(o, id), offset, flags);
        if (isAuditRecord(o)) {
          const e = parseAuditRecord(o, id);
          return e ? this.add(e, offset, flags) : this.reject(text, offset, lineNo, 'audit line without a valid ISO 8601 time', flags);
        }
        if (isJournaldRecord(o)) return this.journaldEntry(o, offset, lineNo, text, flags);
        if (isPostgresJson(o)) {
          const e = parsePostgresJson(o, id, this.standaloneContainer());
          return e ? this.add(e, offset, flags) : this.reject(text, offset, lineNo, 'PostgreSQL jsonlog line with an unreadable timestamp', flags);
        }
      }
      // Name what was tried: in a Docker json-file only its records belong (pino or PostgreSQL sit inside their `log`).
      return this.reject(text, offset, lineNo, this.stream.kind === 'docker' ? NOT_A_RECORD : NO_KNOWN_FORMAT, flags);
    }
    if (this.stream.kind !== 'docker' && !flags.truncated) {
      const pg = parsePostgresText(text, this.pg);
      if (pg && pg.time !== null) return this.add(postgresTextEvent({ id, text, stream: 'stderr', time: pg.time, container: this.standaloneContainer() }, pg), offset, flags);
      if (pg) {
        const why = pg.zone === null ? `with no time (log_line_prefix ${JSON.stringify(this.pg.source)} prints none of %m, %t, %n)` : `whose time zone ${JSON.stringify(pg.zone)} is ambiguous or unknown`;
        return this.reject(text, offset, lineNo, `PostgreSQL log line ${why}`, flags);
      }
    }
    const reason = flags.truncated
      ? `line of ${flags.bytes ?? '?'} bytes is over the length cap; kept truncated`
      : text.charCodeAt(0) === 123
        ? 'not valid JSON'
        : this.stream.kind === 'docker'
          ? 'not a Docker json-file record'
          : 'not JSON and not a PostgreSQL log line';
    this.reject(text, offset, lineNo, reason, flags);
  }

  /** Start (offset, line number) of the oldest Docker line still waiting for its last part: checkpoints stop there. */
  pendingStart(): { offset: number; line: number } | null {
    const docker = this.assembler.pendingStart();
    const journald = this.journald?.pendingStart() ?? null;
    return docker && journald ? (docker.offset <= journald.offset ? docker : journald) : (docker ?? journald);
  }

  /** At the end of a stream that will not grow (a one-shot read), open Docker lines are kept as they are. */
  finish(): void {
    for (const a of this.assembler.flush()) this.addAssembled(a, { truncated: a.truncated }, true);
    for (const e of this.journald?.finish() ?? []) {
      this.unordered = true;
      this.add(e, offsetOf(e.id), {});
    }
  }

  /** Empties the collected events and unparsed lines, for the next batch. */
  take(): { events: T[]; unparsed: Unparsed[] } {
    const out = { events: this.events.splice(0), unparsed: this.unparsed.splice(0) };
    // A joined Docker line completes after lines that began later (the other stream's): batches go in offset order.
    if (this.unordered) {
      const at = this.offsets;
      const order = out.events.map((_, i) => i).sort((a, b) => at[a]! - at[b]!);
      out.events = order.map((i) => out.events[i]!);
    }
    this.offsets = [];
    this.unordered = false;
    return out;
  }

  private journaldEntry(o: Obj, offset: number, lineNo: number, raw: string, flags: LineFlags): void {
    this.journald ??= new JournaldParser(this.stream.key, this.maxLine, this.pg);
    this.reorders = true;
    const r = this.journald.push(o, offset, lineNo);
    if ('reject' in r) return this.reject(raw, offset, lineNo, r.reject, flags);
    if ('waiting' in r) return;
    // A joined line completes after lines that began later (other containers'): batches go in offset order.
    const at = offsetOf(r.event.id);
    if (at !== offset) this.unordered = true;
    // The secret check looks at the whole entry and at the (joined) message.
    this.add(r.event, at, flags);
  }

  private docker(o: Obj, offset: number, lineNo: number, raw: string, flags: LineFlags): void {
    this.reorders = true;
    const rec = parseDockerRecord(o);
    if (!rec) return this.reject(raw, offset, lineNo, 'Docker json-file record with an unreadable time', flags);
    const a = this.assembler.push(rec, offset, lineNo);
    if (a) this.addAssembled(a, flags, false);
  }

  private addAssembled(a: AssembledLine, flags: LineFlags, unfinished: boolean): void {
    if (a.parts > 1 || unfinished) this.unordered = true;
    const fields: { [k: string]: string | number | boolean } = {};
    if (a.parts > 1) fields._parts = a.parts;
    if (a.truncated || flags.truncated) fields._truncated = true;
    if (unfinished) fields._unfinished = true;
    if (flags.invalidUtf8) fields._invalid_utf8 = true;
    const e = parseContainerLine({
      id: `${this.stream.key}:${a.offset}`,
      text: a.record.log,
      stream: a.record.stream,
      time: a.record.time,
      container: this.containerFor(a.record.attrs),
      fields,
    }, this.pg);
    this.add(e, a.offset, {});
  }

  private add(e: Event, offset: number, flags: LineFlags): void {
    if (flags.invalidUtf8 && !('_invalid_utf8' in e.fields)) e.fields._invalid_utf8 = true;
    // Secrets are removed where events are encoded for storage (store/event-codec.ts), the one way into either store.
    this.events.push(this.keep(e, offset, this.reorders));
    this.offsets.push(offset);
  }

  private reject(text: string, offset: number, line: number, reason: string, flags: LineFlags): void {
    this.unparsed.push({
      stream: this.stream.key,
      path: this.stream.path,
      offset,
      line,
      reason: flags.invalidUtf8 ? `${reason} (invalid UTF-8)` : reason,
      head: this.redactor.text(text.slice(0, UNPARSED_HEAD)),
      time: Date.now(),
    });
  }

  /** The stream's container, with per-line `attrs` labels (tellwang.wok / tellwang.role) where Docker wrote them. */
  private containerFor(attrs: Record<string, string> | null): ContainerRef {
    const base = this.stream.container ?? this.standaloneContainer();
    if (!attrs) return base;
    const wok = attrs['tellwang.wok'] ?? base.wok;
    const role = attrs['tellwang.role'] ?? base.role;
    const name = attrs.name ?? attrs['container_name'] ?? base.name;
    if (wok === base.wok && role === base.role && name === base.name) return base;
    const k = `${wok}\u0000${role}\u0000${name}`;
    let ref = this.refs.get(k);
    if (!ref) {
      ref = { ...base, wok, role, name };
      this.refs.set(k, ref);
    }
    return ref;
  }

  /** A log file outside Docker's layout still needs a container to hang its lines on: the file itself. */
  private standaloneContainer(): ContainerRef {
    this.fileContainer ??= {
      id: `file:${this.stream.key}`,
      name: this.stream.path ? path.basename(this.stream.path) : 'stdin',
      wok: null,
      role: null,
      image: null,
    };
    return this.fileContainer;
  }
}
