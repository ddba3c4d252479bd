/**
 * Docker's on-disk layout for one container:
 *   <id>/config.v2.json          Name, Config.Image, Config.Labels
 *   <id>/<id>-json.log           the live log
 *   <id>/<id>-json.log.1 … .N    rotated logs (higher = older)
 * The wok and role come from the labels tellwang.wok / tellwang.role.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ContainerRef } from '../../model/event.js';

export interface DockerContainerDir {
  dir: string;
  container: ContainerRef;
  /** Log files oldest first; the last one is the live log. */
  files: string[];
  /** Why config.v2.json could not be used, if it could not. */
  configProblem: string | null;
}

const LOG_FILE = /^(.+)-json\.log(?:\.(\d+))?$/;

/**
 * A container's directory: it holds config.v2.json, or a log named after the
 * directory itself (`<id>/<id>-json.log`). Any other directory that happens to
 * hold an `…-json.log` is an ordinary one, whose other files are logs too.
 */
export function isDockerContainerDir(dir: string): boolean {
  if (existsSync(path.join(dir, 'config.v2.json'))) return true;
  const own = path.basename(path.resolve(dir));
  try {
    return readdirSync(dir).some((f) => LOG_FILE.exec(f)?.[1] === own);
  } catch {
    return false;
  }
}

export function readDockerContainerDir(dir: string): DockerContainerDir {
  const id = path.basename(dir);
  let container: ContainerRef = { id, name: null, wok: null, role: null, image: null };
  let configProblem: string | null = null;
  const configPath = path.join(dir, 'config.v2.json');
  if (existsSync(configPath)) {
    try {
      container = containerFromConfig(JSON.parse(readFileSync(configPath, 'utf8')) as unknown, id);
    } catch (e) {
      configProblem = `config.v2.json: ${(e as Error).message}`;
    }
  } else {
    configProblem = 'no config.v2.json beside the log';
  }
  const files = readdirSync(dir)
    .map((f) => ({ f, m: LOG_FILE.exec(f) }))
    .filter((x): x is { f: string; m: RegExpExecArray } => x.m !== null)
    .sort((a, b) => Number(b.m[2] ?? 0) - Number(a.m[2] ?? 0))
    .map((x) => path.join(dir, x.f));
  return { dir, container, files, configProblem };
}

export function containerFromConfig(cfg: unknown, fallbackId: string): ContainerRef {
  const c = (cfg ?? {}) as { ID?: unknown; Name?: unknown; Config?: { Image?: unknown; Labels?: Record<string, unknown> | null } };
  const labels = c.Config?.Labels ?? {};
  const s = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return {
    id: s(c.ID) ?? fallbackId,
    name: s(c.Name)?.replace(/^\//, '') ?? null,
    wok: s(labels['tellwang.wok']),
    role: s(labels['tellwang.role']),
    image: s(c.Config?.Image),
  };
}
