/**
 * The README's screenshots, from the real console over the demo: generates
 * the demo anchored to now in a temporary directory, ingests it into a fresh
 * SQLite store, fills the health history from the logs since they begin (as
 * a console that had been running would hold it), signs in through /login in
 * Debian's Chromium and saves 1280-pixel-wide PNGs (and a few at a phone's 390) into docs/screenshots/.
 * Fails if the browser reports any console error or uncaught exception.
 *
 *   npm run build && node dist/scripts/screenshots.js [--out DIR] [--browser PATH]
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { chromium, type Browser, type Page } from 'playwright-core';
import { addOperator } from '../src/access/operators.js';
import { catalog } from '../src/catalog/catalog.js';
import { systemClock } from '../src/clock.js';
import { createDiagServices } from '../src/diag/diag-services.js';
import { startHealthLoop } from '../src/diag/health-loop.js';
import { replayHistory } from '../src/diag/replay.js';
import { createApp } from '../src/http/create-app.js';
import { listen } from '../src/http/serve.js';
import { ingestPaths } from '../src/ingest/ingest-paths.js';
import { readInventoryFile } from '../src/ingest/inventory-file.js';
import { silentLogger } from '../src/logging/logger.js';
import { projectRoot } from '../src/project-root.js';
import { DEFAULT_TICKET_OPTIONS } from '../src/queries/ticket.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { storeInventory } from '../src/store/store-inventory.js';
import { generateDemo } from './demo/generate-demo.js';
import { storyTimes } from './demo/story-times.js';

/** Debian's Chromium, headless, with nothing that phones home or downloads. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function launchChromium(executablePath = CHROMIUM): Promise<Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** Signs in through the real form; resolves once the browser is on `next`. */
async function signInThroughForm(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('.login-form button[type=submit]')]);
}

const OPERATOR = 'oncall@tellwang.local';

interface Shot {
  file: string;
  description: string;
  path: string;
  /** Waited for before the picture is taken. */
  ready: string;
  fullPage: boolean;
  /** Taken at a phone's width (390 px) instead of 1280. */
  phone?: boolean;
}

async function main(): Promise<void> {
  const opts = new Command('screenshots')
    .option('--out <dir>', 'where to write the PNGs', path.join(projectRoot(), 'docs', 'screenshots'))
    .option('--browser <path>', 'Chromium executable', CHROMIUM)
    .parse()
    .opts<{ out: string; browser: string }>();

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tellwang-shots-'));
  const store = new SqliteStore(path.join(tmp, 'diag.sqlite'));
  let browser: Browser | null = null;
  let stop: (() => Promise<void>) | null = null;
  try {
    const now = Date.now();
    const demo = await generateDemo({ dir: path.join(tmp, 'demo'), now });
    await ingestPaths(store, demo.logPaths, { final: true });
    await store.putInventory(readInventoryFile(demo.inventoryPath));
    const inventory = storeInventory(store);
    await replayHistory({ store, inventory, catalog, from: storyTimes(now).logsFrom, to: now, stepMs: 60_000 });
    const password = randomBytes(12).toString('base64url');
    await addOperator(store, OPERATOR, password);

    const diag = createDiagServices({ store, inventory, catalog, clock: systemClock });
    const loop = startHealthLoop({ runner: diag.runner, store, logger: silentLogger(), intervalMs: 0, retentionMs: 7 * 86_400_000 });
    await loop.tick();
    const app = createApp({
      store,
      redactor: store.redactor,
      inventory,
      catalog,
      logger: silentLogger(),
      clock: systemClock,
      config: { ticket: DEFAULT_TICKET_OPTIONS, trustProxy: false, bodyLimit: '1mb' },
      diag,
    });
    const served = await listen(app, 0, '127.0.0.1');
    stop = async () => {
      await served.close();
      await loop.stop();
    };

    const [restart, , uncatalogued] = demo.featured;
    const shots: Shot[] = [
      { file: 'home.png', description: 'the paste box and the latest failed requests', path: '/', ready: 'table.recent', fullPage: false },
      { file: 'ticket-db-restart.png', description: restart.description, path: `/tickets/${restart.cid}`, ready: 'section.context', fullPage: true },
      { file: 'ticket-uncatalogued.png', description: uncatalogued.description, path: `/tickets/${uncatalogued.cid}`, ready: 'section.context', fullPage: true },
      { file: 'diag.png', description: 'subsystem health with readings and 6 h history', path: '/diag', ready: '.diag-table', fullPage: true },
      { file: 'wok-ledger.png', description: 'wok ledger: containers, errors by code, health and timeline', path: '/diag/wok/ledger', ready: 'table.timeline', fullPage: true },
      { file: 'phone-diag.png', description: '/diag on a 390 px phone', path: '/diag', ready: '.diag-table', fullPage: false, phone: true },
      { file: 'phone-ticket.png', description: 'a ticket on a 390 px phone', path: `/tickets/${restart.cid}`, ready: 'section.context', fullPage: false, phone: true },
      { file: 'phone-wok-ledger.png', description: 'wok ledger on a 390 px phone', path: '/diag/wok/ledger', ready: 'table.timeline', fullPage: false, phone: true },
      { file: 'incidents.png', description: 'error codes of the last 24 h, incidents first, with sparklines', path: '/incidents', ready: 'table.incidents', fullPage: true },
      { file: 'catalog.png', description: 'the catalogue with counts, and the codes it lacks', path: '/catalog', ready: 'table.catalog', fullPage: false },
      { file: 'search.png', description: 'failed requests found by search, every cell a narrowing link', path: '/search?failed=1', ready: 'table.search-results', fullPage: false },
    ];
    // After the tickets above, so the audit of lookups has rows.
    const [firstLine] = await store.eventsByCid(restart.cid);
    shots.push(
      { file: 'around.png', description: 'the lines around a ticket line in its own stream', path: `/events/${encodeURIComponent(firstLine!.id)}/around?n=15`, ready: 'tr.at-moment', fullPage: true },
      { file: 'ticket-reply.png', description: 'the reply to the customer beside what it leaves out', path: `/tickets/${restart.cid}#reply`, ready: 'section.ticket-reply', fullPage: false },
      { file: 'audit.png', description: 'the audit of lookups', path: '/audit', ready: 'table.lookups', fullPage: false },
    );

    browser = await launchChromium(opts.browser);
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1, colorScheme: 'light', timezoneId: 'UTC', locale: 'en-GB' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${page.url()}: console ${m.type()}: ${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
    await signInThroughForm(page, served.url, OPERATOR, password);

    mkdirSync(opts.out, { recursive: true });
    for (const s of shots) {
      await page.setViewportSize(s.phone ? { width: 390, height: 844 } : { width: 1280, height: 860 });
      await page.goto(served.url + s.path);
      await page.waitForSelector(s.ready, { timeout: 10_000 });
      await page.evaluate('document.fonts.ready');
      await page.screenshot({ path: path.join(opts.out, s.file), fullPage: s.fullPage, animations: 'disabled' });
      process.stdout.write(`${path.relative(process.cwd(), path.join(opts.out, s.file))}  ${s.description}\n`);
    }
    if (problems.length) throw new Error(`the browser reported:\n${problems.join('\n')}`);
  } finally {
    await browser?.close();
    await stop?.();
    await store.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
