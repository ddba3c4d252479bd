/**
 * journalctl -o json lines as journalctl prints them: every value a string,
 * byte arrays for binary values, the trusted `_` fields journald adds, and
 * the fields Docker's journald driver adds for a container.
 */
export interface JournalInput {
  /** Epoch ms; the µs part is `us`. */
  time: number;
  us?: number;
  /** A string, bytes (a binary value), several values (a repeated field), or null (left out by journalctl). */
  message: string | number[] | string[] | null;
  priority?: number;
  unit?: string;
  identifier?: string;
  pid?: number;
  container?: { id: string; name: string; image: string; wok?: string; role?: string; partial?: boolean };
  extra?: Record<string, unknown>;
}

let seq = 0;

export function journalLine(j: JournalInput): string {
  seq++;
  const realtime = `${j.time}${String(j.us ?? 123).padStart(3, '0')}`;
  const o: Record<string, unknown> = {
    __CURSOR: `s=9f2c1b7e4a6d4f0c8b1e3d5a7c9e1f20;i=${(0x1a2b + seq).toString(16)};b=0d8c5f7a2e4b4c6d9e1f3a5b7c9d1e2f;m=${(seq * 1000).toString(16)};t=${(j.time * 1000).toString(16)};x=${(seq * 77).toString(16)}`,
    __REALTIME_TIMESTAMP: realtime,
    __MONOTONIC_TIMESTAMP: String(1_000_000 + seq * 1000),
    _BOOT_ID: '0d8c5f7a2e4b4c6d9e1f3a5b7c9d1e2f',
    _TRANSPORT: 'journal',
    PRIORITY: String(j.priority ?? 6),
    _UID: '0',
    _GID: '0',
    _MACHINE_ID: '4a1e0c2b9d8f4e6a8c1b3d5f7e9a2c4b',
    _HOSTNAME: 'node-1',
    _SYSTEMD_SLICE: 'system.slice',
  };
  if (j.container) {
    const c = j.container;
    Object.assign(o, {
      _COMM: 'dockerd',
      _EXE: '/usr/bin/dockerd',
      _CMDLINE: '/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock',
      _SYSTEMD_UNIT: 'docker.service',
      _SYSTEMD_CGROUP: '/system.slice/docker.service',
      _PID: '812',
      CONTAINER_ID: c.id.slice(0, 12),
      CONTAINER_ID_FULL: c.id,
      CONTAINER_NAME: c.name,
      CONTAINER_TAG: c.id.slice(0, 12),
      SYSLOG_IDENTIFIER: c.id.slice(0, 12),
      IMAGE_NAME: c.image,
      ...(c.wok ? { TELLWANG_WOK: c.wok } : {}),
      ...(c.role ? { TELLWANG_ROLE: c.role } : {}),
      ...(c.partial ? { CONTAINER_PARTIAL_MESSAGE: 'true' } : {}),
    });
  } else {
    Object.assign(o, {
      _COMM: j.identifier ?? 'node',
      _EXE: '/usr/bin/node',
      _SYSTEMD_UNIT: j.unit ?? 'tellwang-cp.service',
      _SYSTEMD_CGROUP: `/system.slice/${j.unit ?? 'tellwang-cp.service'}`,
      SYSLOG_IDENTIFIER: j.identifier ?? 'node',
      _PID: String(j.pid ?? 4242),
      _STREAM_ID: 'b1c2d3e4f5a64b7c8d9e0f1a2b3c4d5e',
    });
  }
  o.MESSAGE = j.message;
  Object.assign(o, j.extra);
  return JSON.stringify(o);
}
