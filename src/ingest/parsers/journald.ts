/**
 * systemd journal entries as `journalctl -o json` prints them, one object per
 * line, every value a string — or an array of byte values when the field is
 * not valid UTF-8 text, an array of values when a field repeats, null when
 * journalctl left out a field over 4096 bytes (without --all):
 *
 *   {"__CURSOR":"s=…","__REALTIME_TIMESTAMP":"1732479744843512","PRIORITY":"6",
 *    "_SYSTEMD_UNIT":"tellwang-cp.service","SYSLOG_IDENTIFIER":"node","_PID":"812","MESSAGE":"…"}
 *
 * Docker's journald log driver adds CONTAINER_ID (12 hex), CONTAINER_ID_FULL,
 * CONTAINER_NAME, IMAGE_NAME, the labels named in its `labels` log-opt (keys
 * upper-cased, other characters as `_`: TELLWANG_WOK, TELLWANG_ROLE), and
 * CONTAINER_PARTIAL_MESSAGE=true on every part of a line over 16 KiB but the
 * last; those parts are joined per container here.
 *
 * A container's entry becomes a container event, its text read like a
 * json-file line's (pino, PostgreSQL, plain). Any other entry is a unit's: a
 * pino line is the cp's (the cp run as a service), an audit record an audit
 * event; the rest are container events of a pseudo-container named after the
 * unit, at the journal's PRIORITY.
 */
import { isUtf8 } from 'node:buffer';
import type { ContainerRef, Event, Level } from '../../model/event.js';
import { isAuditRecord, parseAuditRecord } from './audit.js';
import { parseContainerLine } from './container-line.js';
import { isPinoRecord, parseCpRecord } from './cp-pino.js';
import { DockerAssembler } from './docker-assembler.js';
import { DEFAULT_PG_PREFIX, type PgLinePrefix } from './pg-prefix.js';
import { isObj, type Obj } from './pino-fields.js';

export function isJournaldRecord(o: Obj): boolean {
  return typeof o.__REALTIME_TIMESTAMP === 'string' && 'MESSAGE' in o;
}

export interface JournaldText {
  text: string;
  /** Sent as bytes that were not valid UTF-8 (decoded with replacement characters). */
  invalidUtf8: boolean;
}

/** A journal field's value as text: a string, bytes, or several values (joined by newlines); null when absent or left out. */
export function journaldValue(v: unknown): JournaldText | null {
  if (typeof v === 'string') return { text: v, invalidUtf8: false };
  if (!Array.isArray(v)) return null;
  if (v.every((b) => typeof b === 'number')) {
    const buf = Buffer.from(v as number[]);
    return { text: buf.toString('utf8'), invalidUtf8: !isUtf8(buf) };
  }
  const parts = v.map(journaldValue).filter((x): x is JournaldText => x !== null);
  if (!parts.length) return null;
  return { text: parts.map((p) => p.text).join('\n'), invalidUtf8: parts.some((p) => p.invalidUtf8) };
}

function field(o: Obj, k: string): string | null {
  return journaldValue(o[k])?.text ?? null;
}

/** `__REALTIME_TIMESTAMP` (µs since the epoch, as a string) → epoch ms; null when unreadable. */
export function journaldTime(o: Obj): number | null {
  const us = o.__REALTIME_TIMESTAMP;
  if (typeof us !== 'string' || !/^\d{1,20}$/.test(us)) return null;
  const ms = us.length > 3 ? Number(us.slice(0, -3)) : 0;
  return Number.isSafeInteger(ms) ? ms : null;
}

export function priorityLevel(p: string | null): Level | null {
  switch (p) {
    case '0':
    case '1':
    case '2':
      return 'fatal';
    case '3':
      return 'error';
    case '4':
      return 'warn';
    case '5':
    case '6':
      return 'info';
    case '7':
      return 'debug';
    default:
      return null;
  }
}

/** The container a Docker journald entry came from, or null for a unit's entry. */
export function journaldContainer(o: Obj): ContainerRef | null {
  const id = field(o, 'CONTAINER_ID_FULL') ?? field(o, 'CONTAINER_ID');
  if (!id) return null;
  return {
    id,
    name: field(o, 'CONTAINER_NAME'),
    wok: field(o, 'TELLWANG_WOK') ?? field(o, 'tellwang.wok'),
    role: field(o, 'TELLWANG_ROLE') ?? field(o, 'tellwang.role'),
    image: field(o, 'IMAGE_NAME'),
  };
}

/** `text`: the whole text behind the event (joined parts), for the redaction check. */
export type JournaldResult = { event: Event; text: string } | { reject: string } | { waiting: true };

/**
 * The journald part of a stream's parser: holds the parts of long container
 * lines until their last part comes, one assembler per container.
 */
export class JournaldParser {
  private readonly assemblers = new Map<string, { asm: DockerAssembler; container: ContainerRef }>();
  private readonly units = new Map<string, ContainerRef>();

  constructor(
    private readonly key: string,
    private readonly maxLine: number,
    /** The log_line_prefix of PostgreSQL text in the entries. */
    private readonly pg: PgLinePrefix = DEFAULT_PG_PREFIX,
  ) {}

  push(o: Obj, offset: number, lineNo: number): JournaldResult {
    const time = journaldTime(o);
    if (time === null) return { reject: 'journald entry with an unreadable __REALTIME_TIMESTAMP' };
    const msg = journaldValue(o.MESSAGE);
    if (msg === null) return { reject: 'journald entry without its MESSAGE (journalctl leaves out values over 4096 bytes unless run with --all)' };
    const priority = field(o, 'PRIORITY');
    const stream = priority === '3' ? 'stderr' : 'stdout';
    const base: { [k: string]: string | number | boolean } = {};
    if (msg.invalidUtf8) base._invalid_utf8 = true;
    const container = journaldContainer(o);
    if (container) {
      const partial = field(o, 'CONTAINER_PARTIAL_MESSAGE') === 'true' && field(o, 'CONTAINER_PARTIAL_LAST') !== 'true';
      let slot = this.assemblers.get(container.id);
      if (!slot) {
        slot = { asm: new DockerAssembler(this.maxLine), container };
        this.assemblers.set(container.id, slot);
      }
      const a = slot.asm.push({ log: msg.text, stream, time, attrs: null, final: !partial }, offset, lineNo);
      if (!a) return { waiting: true };
      const fields = { ...base };
      if (a.parts > 1) fields._parts = a.parts;
      if (a.truncated) fields._truncated = true;
      return { event: parseContainerLine({ id: `${this.key}:${a.offset}`, text: a.record.log, stream, time: a.record.time, container: slot.container, fields }, this.pg), text: a.record.log };
    }
    return { event: this.unitEvent(o, msg.text, `${this.key}:${offset}`, time, priority, stream, base), text: msg.text };
  }

  /** Where the oldest unfinished container line starts: a checkpoint must not pass it. */
  pendingStart(): { offset: number; line: number } | null {
    let min: { offset: number; line: number } | null = null;
    for (const { asm } of this.assemblers.values()) {
      const p = asm.pendingStart();
      if (p && (min === null || p.offset < min.offset)) min = p;
    }
    return min;
  }

  /** The stream ended: unfinished container lines are kept as they are. */
  finish(): Event[] {
    const out: Event[] = [];
    for (const { asm, container } of this.assemblers.values()) {
      for (const a of asm.flush()) {
        out.push(
          parseContainerLine({
            id: `${this.key}:${a.offset}`,
            text: a.record.log,
            stream: a.record.stream,
            time: a.record.time,
            container,
            fields: { _parts: a.parts, _unfinished: true, ...(a.truncated ? { _truncated: true } : {}) },
          }, this.pg),
        );
      }
    }
    return out;
  }

  private unitEvent(o: Obj, text: string, id: string, time: number, priority: string | null, stream: 'stdout' | 'stderr', base: { [k: string]: string | number | boolean }): Event {
    const unit = field(o, '_SYSTEMD_UNIT') ?? field(o, '_SYSTEMD_USER_UNIT');
    const ident = field(o, 'SYSLOG_IDENTIFIER') ?? field(o, '_COMM');
    const meta: { [k: string]: string | number | boolean } = { ...base };
    if (unit) meta.unit = unit;
    if (ident) meta.identifier = ident;
    const pid = field(o, '_PID');
    if (pid && /^\d+$/.test(pid)) meta.pid = Number(pid);
    const host = field(o, '_HOSTNAME');
    if (host) meta.hostname = host;
    if (text.charCodeAt(0) === 123) {
      let inner: unknown = null;
      try {
        inner = JSON.parse(text);
      } catch {
        inner = null;
      }
      if (isObj(inner)) {
        if (isPinoRecord(inner)) {
          const e = parseCpRecord(inner, id);
          Object.assign(e.fields, meta);
          return e;
        }
        if (isAuditRecord(inner)) {
          const e = parseAuditRecord(inner, id);
          if (e) return e;
        }
      }
    }
    const e = parseContainerLine({ id, text, stream, time, container: this.unitContainer(unit ?? ident ?? 'journal'), fields: meta }, this.pg);
    const level = priorityLevel(priority);
    if (e.format === 'text' && level) e.level = level;
    return e;
  }

  private unitContainer(name: string): ContainerRef {
    let ref = this.units.get(name);
    if (!ref) {
      ref = { id: `unit:${name}`, name, wok: null, role: null, image: null };
      this.units.set(name, ref);
    }
    return ref;
  }
}
