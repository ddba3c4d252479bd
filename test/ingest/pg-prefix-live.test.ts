/**
 * The live paths read PostgreSQL text with DIAG_PG_LOG_LINE_PREFIX too: the
 * follower (in this process, as `ingest --follow` runs it), and `serve`'s
 * follow thread and push thread (the built CLI, needs `npx tsc -p tsconfig.json`).
 */
import { mkdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createToken } from '../../src/access/api-tokens.js';
import { runFollow } from '../../src/ingest/follow/run-follow.js';
import type { ContainerEvent } from '../../src/model/event.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { requireBuiltCli, startServe, type Serving } from '../fixtures/built-cli.js';
import { writeContainerDir } from '../fixtures/docker-dir.js';
import { debianApp, pgbadger } from '../fixtures/pg15-log-lines.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';
import { waitFor } from '../fixtures/wait-for.js';

const CID = 'a1b2c3d4e5f60002';
const T = Date.UTC(2026, 11, 4, 15, 3, 31);

let tmp: TempDir | null = null;
let serving: Serving | null = null;
afterEach(async () => {
  await serving?.stop();
  serving = null;
  tmp?.remove();
  tmp = null;
});


function dbContainer(root: string): void {
  writeContainerDir(root, { name: 'wok-w9-db', wok: 'w9', role: 'db', lines: debianApp.lines.map((text, i) => ({ text, time: T + i * 10, stream: 'stderr' as const })) });
}

async function messagesOf(file: string, cid: string): Promise<string[] | null> {
  const s = new SqliteStore(file);
  try {
    const events = await s.eventsByCid(cid);
    return events.length ? events.map((e) => e.message) : null;
  } finally {
    await s.close();
  }
}

describe('the follower', () => {
  it('reads a followed db container with the prefix it is given', async () => {
    tmp = tempDir('diag-pg-follow-');
    const root = tmp.file('containers');
    dbContainer(root);
    const store = new SqliteStore(tmp.file('diag.sqlite'));
    const ac = new AbortController();
    try {
      const done = runFollow(store, [root], { follow: { pollMs: 50, pgLogLinePrefix: debianApp.prefix } }, ac.signal);
      const events = await waitFor('the cp session', async () => {
        const e = await store.eventsByCid(CID);
        return e.length >= 3 ? e : null;
      }, 20_000);
      ac.abort();
      await done;
      expect(events.map((e) => e.message)).toEqual(['relation "missing_table_x" does not exist at character 15', 'select * from missing_table_x', expect.stringMatching(/^disconnection: /)]);
      expect((events[0] as ContainerEvent).fields).toMatchObject({ user: 'postgres', dbname: 'postgres', application: `cp:${CID}` });
    } finally {
      ac.abort();
      await store.close();
    }
  });
});

describe('serve with DIAG_PG_LOG_LINE_PREFIX', () => {
  it('its follow thread reads the followed container with it', async () => {
    requireBuiltCli();
    tmp = tempDir('diag-pg-serve-follow-');
    const root = tmp.file('containers');
    mkdirSync(root);
    const db = tmp.file('diag.sqlite');
    serving = await startServe(['--db', db, '--follow', root], { env: { DIAG_PG_LOG_LINE_PREFIX: debianApp.prefix } });
    dbContainer(root);
    const messages = await waitFor('the followed session', () => messagesOf(db, CID), 20_000);
    expect(messages).toContain('relation "missing_table_x" does not exist at character 15');
  });

  it('its push thread reads pushed PostgreSQL text with it', async () => {
    requireBuiltCli();
    tmp = tempDir('diag-pg-serve-push-');
    const db = tmp.file('diag.sqlite');
    const setup = new SqliteStore(db);
    const token = (await createToken(setup, 'shipper', 'ingest', Date.now())).secret;
    await setup.close();
    serving = await startServe(['--db', db], { env: { DIAG_PG_LOG_LINE_PREFIX: pgbadger.prefix } });
    const r = await fetch(`${serving.url}/v1/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: pgbadger.lines.join('\n') + '\n',
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ unparsed: 0 });
    expect(await messagesOf(db, CID)).toEqual(['relation "missing_table_x" does not exist at character 15', 'select * from missing_table_x', expect.stringMatching(/^disconnection: /)]);
  });
});

