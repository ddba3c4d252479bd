/**
 * Writes each container as the Docker daemon keeps it on disk:
 * docker/containers/<id>/config.v2.json and <id>-json.log (plus a rotated
 * <id>-json.log.1 where asked), records in time order, labels as `attrs` on
 * every line for containers started with `--log-opt labels=…`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { containerConfig, dockerRecords } from '../formats/docker-json-file.js';
import type { Prng } from './prng.js';
import type { ContainerLine } from './timeline.js';
import type { DemoContainer } from './world.js';

export interface ContainerFiles {
  dir: string;
  /** Log file name → its lines (each a whole json-file record, without the newline). */
  files: Map<string, string[]>;
}

export function containerRecords(c: DemoContainer, lines: ContainerLine[], rng: Prng, rotateAt?: number): ContainerFiles {
  const attrs = c.attrs ? { 'tellwang.role': c.role, 'tellwang.wok': c.wok } : undefined;
  const sorted = lines.map((l, i) => ({ l, i })).sort((a, b) => a.l.time - b.l.time || a.i - b.i);
  const live: string[] = [];
  const rotated: string[] = [];
  for (const { l } of sorted) {
    const target = rotateAt !== undefined && l.time < rotateAt ? rotated : live;
    // Docker stamps a record when it reads the pipe: a little after the program wrote it.
    for (const rec of dockerRecords({ text: l.text, stream: l.stream, time: l.time, ns: rng.int(1000, 999_999), ...(attrs ? { attrs } : {}) })) target.push(rec.slice(0, -1));
  }
  const files = new Map<string, string[]>();
  if (rotated.length) files.set(`${c.id}-json.log.1`, rotated);
  files.set(`${c.id}-json.log`, live);
  return { dir: c.id, files };
}

/** The db containers' superuser password as the platform sets it: in config.v2.json only, never to be stored. */
export function dbPassword(c: DemoContainer): string {
  return `pw_${c.id.slice(20, 52)}`;
}

export function writeContainer(root: string, c: DemoContainer, cf: ContainerFiles): void {
  const dir = path.join(root, cf.dir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'config.v2.json'), containerConfig({ id: c.id, name: c.name, image: c.image, created: c.created, labels: { 'tellwang.wok': c.wok, 'tellwang.role': c.role }, env: containerEnv(c) }));
  for (const [name, lines] of cf.files) writeFileSync(path.join(dir, name), lines.map((l) => l + '\n').join(''));
}

function containerEnv(c: DemoContainer): string[] {
  return c.role === 'db'
    ? ['POSTGRES_DB=app', `POSTGRES_PASSWORD=${dbPassword(c)}`, 'PGDATA=/var/lib/postgresql/data', 'PG_VERSION=16.4']
    : ['NODE_ENV=production', 'PORT=8080', `TELLWANG_WOK=${c.wok}`];
}
