/**
 * Writes the demo dataset: a few hours of a small TellWang platform, anchored
 * to `now` and the same for the same seed — cp logs from two cp instances (one
 * per pino-http configuration), the audit log, Docker container directories,
 * and the inventory snapshot. Returns what it wrote and the ids worth opening.
 *
 *   node dist/scripts/demo/generate-demo.js [DIR]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { auditLine } from '../formats/audit-log.js';
import { inventoryJson } from '../formats/inventory-file.js';
import { background } from './background.js';
import { callerErrors, REPORTING_PASSWORD } from './caller-errors.js';
import { containerBaseline } from './container-baseline.js';
import { dbRestart } from './db-restart.js';
import { analyticsWebhook, inboxCrashLoop, legacyWok } from './functions-stories.js';
import { insertGarbage, type GarbageLine } from './garbage.js';
import { Prng } from './prng.js';
import { storyTimes } from './story-times.js';
import { DemoTimeline } from './timeline.js';
import { cpDbOutage, emailAndDns, llmOutage, llmThroughFunction } from './upstreams.js';
import { accounts, oldcrmDestroyed, stagingProvisioning } from './wok-lifecycle.js';
import { runCps } from './write-cp-logs.js';
import { containerRecords, dbPassword, writeContainer } from './write-containers.js';
import { buildWorld, inventoryOf } from './world.js';

export interface DemoOptions {
  dir: string;
  now: number;
  seed?: number;
  /** Background requests on top of the stories (default 260). */
  traffic?: number;
}

export interface FeaturedId {
  cid: string;
  description: string;
}

export interface DemoSummary {
  dir: string;
  now: number;
  seed: number;
  /** What to ingest: the cp logs, the audit log and the Docker containers root (not the inventory). */
  logPaths: string[];
  inventoryPath: string;
  requests: number;
  auditEntries: number;
  containers: number;
  containerLines: number;
  /** Three ids worth opening, each with what it shows. */
  featured: [FeaturedId, FeaturedId, FeaturedId];
  /** The invoke whose runtime line Docker split at 16 KiB. */
  longLineCid: string;
  /** The lines written on purpose to parse as nothing. */
  garbage: GarbageLine[];
  /** Each demo user's skl_ key (of several lengths), for trying the customer API. */
  customerKeys: { user: string; org: string; key: string }[];
  /** Every secret the dataset holds (keys, session cookies, db passwords): none may reach a store. */
  secrets: string[];
}

export const DEFAULT_SEED = 20_261_124;

export async function generateDemo(o: DemoOptions): Promise<DemoSummary> {
  const seed = o.seed ?? DEFAULT_SEED;
  const rng = new Prng(seed);
  const world = buildWorld(rng, o.now);
  const s = storyTimes(o.now);
  const t = new DemoTimeline(rng, world, o.now);

  containerBaseline(t, s);
  background(t, s, o.traffic ?? 260);
  callerErrors(t, s);
  accounts(t, s);
  oldcrmDestroyed(t, s);
  stagingProvisioning(t, s);
  emailAndDns(t);
  cpDbOutage(t, s);
  const longLineCid = analyticsWebhook(t, s);
  legacyWok(t, s);
  const restart = dbRestart(t, s);
  const uncatalogued = inboxCrashLoop(t, s);
  llmOutage(t, s);
  const crossSource = llmThroughFunction(t);

  rmSync(o.dir, { recursive: true, force: true });
  const containersRoot = path.join(o.dir, 'docker', 'containers');
  mkdirSync(containersRoot, { recursive: true });

  const cp = await runCps(t, s.logsFrom);
  const files: Record<string, string[]> = {
    'cp-1.log': cp['cp-1'],
    'cp-2.log': cp['cp-2'],
    'audit.log': [...t.audits].sort((a, b) => a.time - b.time).map(auditLine),
  };
  const containers = world.woks.flatMap((w) => [w.db, w.fn]).filter((c) => c !== null);
  const records = containers.map((c) => containerRecords(c, t.containerLines.get(c.id) ?? [], rng, c.wok === 'analytics' && c.role === 'db' ? s.trafficFrom + 90 * 60_000 : undefined));
  const garbage = insertGarbage(files, records, rng);

  for (const [name, lines] of Object.entries(files)) writeFileSync(path.join(o.dir, name), lines.map((l) => l + '\n').join(''));
  containers.forEach((c, i) => writeContainer(containersRoot, c, records[i]!));
  const inventoryPath = path.join(o.dir, 'inventory.json');
  writeFileSync(inventoryPath, inventoryJson(inventoryOf(world)));

  return {
    dir: o.dir,
    now: o.now,
    seed,
    logPaths: [...Object.keys(files).map((n) => path.join(o.dir, n)), containersRoot],
    inventoryPath,
    requests: t.requests.length,
    auditEntries: t.audits.length,
    containers: containers.length,
    containerLines: [...t.containerLines.values()].reduce((n, l) => n + l.length, 0),
    featured: [restart, crossSource, uncatalogued],
    longLineCid,
    garbage: garbage.map((g) => ({ ...g, file: path.join(o.dir, g.file) })),
    customerKeys: world.users.map((u) => ({ user: u.email, org: u.org, key: u.key.key })),
    secrets: [
      ...world.users.map((u) => u.key.key),
      ...world.llmKeys.map((k) => k.key.key),
      ...t.sessionValues(),
      ...containers.filter((c) => c.role === 'db').map(dbPassword),
      REPORTING_PASSWORD,
    ],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = path.resolve(process.argv[2] ?? 'data/demo');
  const summary = await generateDemo({ dir, now: Date.now() });
  process.stdout.write(`wrote ${summary.requests} requests, ${summary.auditEntries} audit entries and ${summary.containerLines} container lines (${summary.containers} containers) to ${dir}\n`);
  for (const f of summary.featured) process.stdout.write(`  ${f.cid}  ${f.description}\n`);
}
