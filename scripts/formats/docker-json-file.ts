/**
 * Writes container log records exactly as Docker's json-file driver does:
 * field order log, stream, attrs, time; Go-style JSON string escaping
 * (including \u003c \u003e \u0026 and \u2028 \u2029); RFC 3339 times with
 * nanoseconds and trailing zeros trimmed; lines over 16 KiB split into
 * several records, all but the last without a trailing newline.
 */

export const DOCKER_SPLIT = 16 * 1024;

const HEX = '0123456789abcdef';

/** Go encoding/json's string escaping, as Docker's jsonlog uses it. */
export function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&') out += '\\u00' + HEX[c >> 4] + HEX[c & 15];
    else if (c === 0x2028 || c === 0x2029) out += '\\u' + c.toString(16);
    else out += ch;
  }
  return out + '"';
}

/** RFC 3339 with nanoseconds, trailing zeros trimmed (Go's time.RFC3339Nano). */
export function rfc3339Nano(ms: number, extraNs = 0): string {
  const d = new Date(ms);
  const base = d.toISOString().slice(0, 19);
  const ns = String((ms % 1000) * 1_000_000 + extraNs).padStart(9, '0').replace(/0+$/, '');
  return `${base}${ns ? '.' + ns : ''}Z`;
}

export interface DockerRecordInput {
  /** The line the program wrote, without its newline. */
  text: string;
  stream: 'stdout' | 'stderr';
  time: number;
  /** Sub-millisecond part of the time, in nanoseconds (0–999999). */
  ns?: number;
  /** Set when the daemon's log-opts `labels` put container labels on every line. */
  attrs?: Record<string, string>;
}

function record(log: string, stream: string, time: string, attrs?: Record<string, string>): string {
  let out = `{"log":${goJsonString(log)},"stream":${goJsonString(stream)}`;
  if (attrs && Object.keys(attrs).length) {
    out += ',"attrs":{' + Object.entries(attrs).map(([k, v]) => `${goJsonString(k)}:${goJsonString(v)}`).join(',') + '}';
  }
  return `${out},"time":${goJsonString(time)}}`;
}

/** The json-file lines (each ending in \n) Docker writes for one line of container output. */
export function dockerRecords(input: DockerRecordInput): string[] {
  const bytes = Buffer.from(input.text, 'utf8');
  const time = rfc3339Nano(input.time, input.ns ?? 0);
  const out: string[] = [];
  let pos = 0;
  // Docker splits on bytes; a split inside a multi-byte character would be replaced by U+FFFD
  // on decode, so (as the daemon's buffer does in practice for text) we cut at character starts.
  while (bytes.length - pos > DOCKER_SPLIT) {
    let cut = pos + DOCKER_SPLIT;
    while (cut > pos && (bytes[cut]! & 0xc0) === 0x80) cut--;
    out.push(record(bytes.toString('utf8', pos, cut), input.stream, time, input.attrs) + '\n');
    pos = cut;
  }
  out.push(record(bytes.toString('utf8', pos) + '\n', input.stream, time, input.attrs) + '\n');
  return out;
}

export interface ContainerConfigInput {
  id: string;
  name: string;
  image: string;
  labels: Record<string, string>;
  created: number;
  env?: string[];
}

/** A config.v2.json as the daemon keeps it (the fields we read, and a realistic rest). */
export function containerConfig(c: ContainerConfigInput): string {
  return JSON.stringify({
    StreamConfig: {},
    State: { Running: true, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 4242, ExitCode: 0, StartedAt: new Date(c.created).toISOString() },
    ID: c.id,
    Created: new Date(c.created).toISOString(),
    Path: 'docker-entrypoint.sh',
    Args: [],
    Config: {
      Hostname: c.id.slice(0, 12),
      Env: c.env ?? [],
      Image: c.image,
      Labels: c.labels,
    },
    Image: 'sha256:' + 'ab'.repeat(32),
    Name: '/' + c.name,
    RestartCount: 0,
    Driver: 'overlay2',
    LogPath: `/var/lib/docker/containers/${c.id}/${c.id}-json.log`,
  });
}
