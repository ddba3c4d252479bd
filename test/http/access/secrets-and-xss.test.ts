/**
 * Secrets and hostile text, end to end: a world whose cp (pino-http headers,
 * err, body), Docker containers (functions pino, PostgreSQL text), audit log
 * (extra fields) and an unparsed line all carry secrets and <script> / <img
 * onerror> payloads, ingested for real; then the database file's bytes, every
 * page, every JSON answer and our own request log are searched for them, and
 * every page is parsed with a real HTML parser.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/access/api-tokens.js';
import { addOperator } from '../../../src/access/operators.js';
import { bearer, call, signIn } from '../../fixtures/http-client.js';
import { startConsole, type Console } from '../../fixtures/test-server.js';
import { buildWorld, type World } from './fixtures/world.js';

interface Node {
  nodeName: string;
  tagName?: string;
  value?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: Node[];
  content?: Node;
}

function* walk(n: Node): Generator<Node> {
  yield n;
  for (const c of n.childNodes ?? []) yield* walk(c);
  if (n.content) yield* walk(n.content);
}

let w: World;
let c: Console;
let token: string;
let session: string;
const pages = new Map<string, string>();
const json = new Map<string, string>();

beforeAll(async () => {
  w = await buildWorld();
  await addOperator(w.store, 'ops@tellwang.test', 'a long enough passphrase');
  c = await startConsole(w.store);
  token = (await createToken(w.store, 'reader', 'operator', Date.now())).secret;
  session = (await signIn(c.url, 'ops@tellwang.test', 'a long enough passphrase')).cookie!;
  const { acme, globex, acmeGone } = w.cids;
  const pagePaths = [
    '/',
    `/tickets/${acme}`,
    `/tickets/${globex}`,
    `/tickets/${acmeGone}`,
    '/unparsed',
    '/diag',
    '/diag/wok/alpha',
    '/diag/wok/beta',
    `/?q=${encodeURIComponent('<script>alert("q")</script>')}`,
    `/tickets/${encodeURIComponent('<img src=x onerror=alert(1)>')}`,
    '/search',
    `/search?q=${encodeURIComponent('<script>alert("q")</script>')}&path=${encodeURIComponent('/"><img/src=x/onerror=alert(1)>')}`,
  ];
  for (const p of pagePaths) pages.set(p, (await call(c.url, p, { headers: { cookie: session, accept: 'text/html' } })).text);
  pages.set('/login?next=…', (await call(c.url, `/login?next=${encodeURIComponent('/"><script>alert(1)</script>')}`)).text);
  const jsonPaths = [
    ...[acme, globex, acmeGone].map((id) => `/v1/tickets/${id}?include=stack,raw`),
    '/v1/search?limit=500',
    '/v1/unparsed',
    '/v1/stats',
    '/v1/diag',
    '/v1/diag/wok/alpha?tail=500',
    '/v1/diag/wok/beta?tail=500',
  ];
  for (const p of jsonPaths) json.set(p, (await call(c.url, p, { headers: bearer(token) })).text);
  json.set('POST /v1/lookup', (await call(c.url, '/v1/lookup', { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify({ text: `${acme} ${globex}` }) })).text);
  json.set('customer ticket', (await call(c.url, `/v1/tickets/${acme}`, { headers: bearer(w.keys.acme.key) })).text);
  json.set('customer wok', (await call(c.url, '/v1/diag/wok/alpha', { headers: bearer(w.keys.acme.key) })).text);
});

afterAll(async () => {
  await c?.close();
  await w?.remove();
});

describe('secrets never come out', () => {
  it('the answers were real (tickets found, pages rendered)', () => {
    expect(json.get(`/v1/tickets/${w.cids.acme}?include=stack,raw`)).toContain('"code":"CP_EXEC_SQL_FAILED"');
    expect(pages.get(`/tickets/${w.cids.acme}`)).toContain('CP_EXEC_SQL_FAILED');
    expect(pages.get('/search')).toContain('matching request');
    expect([...pages].find(([p]) => p.startsWith('/search?q='))![1]).toContain('0 matching requests');
    expect(json.get('/v1/unparsed')).toContain('not json at all');
    expect(json.get('customer ticket')).toContain('"org":"acme"');
  });

  it('not in the database file', () => {
    const bytes = Buffer.concat([readFileSync(w.dbFile), readFileSync(`${w.dbFile}-wal`)]);
    for (const s of [...w.secrets, token]) expect([s, bytes.includes(s)]).toEqual([s, false]);
    // What identifies the caller stays: the key's prefix.
    expect(bytes.includes(w.keys.acme.prefix)).toBe(true);
  });

  it('not in any page or JSON answer, raw records and stacks included', () => {
    for (const [where, text] of [...pages, ...json]) {
      for (const s of [...w.secrets, token, session.split('=')[1]!]) expect([where, s, text.includes(s)]).toEqual([where, s, false]);
    }
    expect(json.get(`/v1/tickets/${w.cids.acme}?include=stack,raw`)).toContain(w.keys.acme.prefix);
    expect(pages.get(`/tickets/${w.cids.acme}`)).toContain(w.keys.acme.prefix);
  });

  it('not in our own request log (keys cut to their prefix, tokens and cookies gone)', () => {
    const log = c.logs.join('\n');
    expect(log.includes('"correlation_id"')).toBe(true);
    for (const s of [...w.secrets, token, session.split('=')[1]!]) expect([s, log.includes(s)]).toEqual([s, false]);
    // The customer's requests are logged with who asked: org and key prefix.
    expect(log.includes(`"caller_key":"${w.keys.acme.prefix}…"`)).toBe(true);
  });
});

describe('hostile log text is inert in pages', () => {
  it('every page parses with no script but ours, no event-handler attribute and no image from log text', () => {
    for (const [where, text] of pages) {
      const doc = parse(text) as unknown as Node;
      for (const n of walk(doc)) {
        if (!n.tagName) continue;
        if (n.tagName === 'script') {
          // Only our own files, never inline code.
          expect([where, n.attrs]).toEqual([where, [{ name: 'src', value: expect.stringMatching(/^\/static\/[a-z0-9-]+\.js$/) }, { name: 'defer', value: '' }]]);
          expect(n.childNodes ?? []).toEqual([]);
        }
        for (const a of n.attrs ?? []) {
          expect([where, n.tagName, a.name]).not.toEqual([where, n.tagName, expect.stringMatching(/^on/i)]);
          if (a.name === 'href' || a.name === 'src' || a.name === 'action') expect([where, a.value]).not.toEqual([where, expect.stringMatching(/^\s*(javascript|data):/i)]);
        }
        // Our pages draw charts as inline SVG; images, frames and plugins never come from us.
        expect([where, n.tagName]).not.toEqual([where, expect.stringMatching(/^(img|iframe|object|embed|image|foreignObject)$/)]);
      }
    }
  });

  it('the payloads are shown as text where the logs put them', () => {
    const doc = parse(pages.get(`/tickets/${w.cids.acme}`)!) as unknown as Node;
    const texts = [...walk(doc)].filter((n) => n.nodeName === '#text').map((n) => n.value ?? '');
    expect(texts.some((t) => t.includes('<script>alert("xss-script")</script>'))).toBe(true);
    expect(texts.some((t) => t.includes('<img src=x onerror="alert(\'xss-img\')">'))).toBe(true);
    const unparsed = [...walk(parse(pages.get('/unparsed')!) as unknown as Node)].filter((n) => n.nodeName === '#text').map((n) => n.value ?? '');
    expect(unparsed.some((t) => t.includes('<script>alert("xss-script")</script>'))).toBe(true);
  });
});
