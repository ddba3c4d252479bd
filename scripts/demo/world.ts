/**
 * The demo's platform: orgs, their people and keys, woks and the containers
 * that run them. Fixed names (so a reader can follow the stories), random
 * parts (keys, container ids) from the seeded PRNG.
 */
import { createHash } from 'node:crypto';
import { mintKey, type InventorySnapshot, type MintedKey } from '../formats/inventory-file.js';
import type { Prng } from './prng.js';

export interface DemoUser {
  email: string;
  org: string;
  ip: string;
  userAgent: string;
  key: MintedKey;
}

export interface DemoContainer {
  id: string;
  name: string;
  image: string;
  role: 'db' | 'functions';
  wok: string;
  /** Provisioned with `--log-opt labels=…`: every log line carries the labels as `attrs`. */
  attrs: boolean;
  created: number;
}

export interface DemoWok {
  id: string;
  org: string;
  status: 'active' | 'provisioning' | 'destroyed';
  /** Null for woks provisioned before functions shipped. */
  functionsPort: number | null;
  db: DemoContainer | null;
  fn: DemoContainer | null;
}

export interface DemoWorld {
  orgs: string[];
  users: DemoUser[];
  /** sllm_ keys for the LLM gateway, one per org that uses it. */
  llmKeys: { org: string; user: string; key: MintedKey }[];
  woks: DemoWok[];
}

export const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
export const CLI = 'tellwang-cli/2.3.1 node/20.18.0 linux-x64';

/** People: [email, org, ip, user agent, hex characters of their skl_ key] — keys of several lengths, as the cp has minted over the years. */
const PEOPLE: ReadonlyArray<[email: string, org: string, ip: string, ua: string, keyHex: number]> = [
  ['maria@acme.io', 'acme', '198.51.100.23', BROWSER, 64],
  ['ci-deploy@acme.io', 'acme', '20.42.11.7', 'tellwang-cli/2.3.1 node/20.18.0 linux-x64 (github-actions)', 32],
  ['li.wei@northwind.dev', 'northwind', '203.0.113.54', CLI, 48],
  ['hank@globex.com', 'globex', '192.0.2.140', 'tellwang-sdk-js/1.4.0 node/22.11.0', 64],
  ['peter@initech.co', 'initech', '198.51.100.201', BROWSER, 128],
];

/**
 * `hexChars / 2` bytes from 32 drawn from the PRNG (stretched with sha512 past
 * 32): every key draws the same 32 bytes, so the rest of the demo does not
 * change with a key's length.
 */
function keyBytes(drawn: Buffer, hexChars: number): Buffer {
  const bytes = hexChars / 2;
  return bytes <= drawn.length ? drawn.subarray(0, bytes) : createHash('sha512').update(drawn).digest().subarray(0, bytes);
}

/** Woks, oldest first: [id, org, status, functions, attrs]. */
const WOKS: ReadonlyArray<[string, string, DemoWok['status'], boolean, boolean]> = [
  ['legacy', 'acme', 'active', false, false],
  ['analytics', 'globex', 'active', true, false],
  ['inbox', 'northwind', 'active', true, false],
  ['oldcrm', 'initech', 'destroyed', true, false],
  ['shopfront', 'acme', 'active', true, true],
  ['ledger', 'acme', 'active', true, true],
  ['staging', 'northwind', 'provisioning', true, true],
];

export const DB_IMAGE = 'postgres:16.4-alpine';
export const FN_IMAGE = 'ghcr.io/tellwang/functions-runtime:1.8.2';

export function buildWorld(rng: Prng, now: number): DemoWorld {
  const key = (kind: 'skl' | 'sllm', hexChars = 64) => mintKey(kind, () => keyBytes(rng.bytes(32), hexChars));
  const users = PEOPLE.map(([email, org, ip, userAgent, keyHex]) => ({ email, org, ip, userAgent, key: key('skl', keyHex) }));
  const llmKeys = ['acme', 'northwind', 'globex'].map((org) => ({ org, user: users.find((u) => u.org === org)!.email, key: key('sllm') }));
  let port = 41000;
  const woks = WOKS.map(([id, org, status, functions, attrs], i): DemoWok => {
    // Containers started before the demo's window; staging is being provisioned now.
    const created = status === 'provisioning' ? now - 22 * 60_000 : now - (30 - i) * 86_400_000;
    const container = (role: 'db' | 'functions'): DemoContainer => ({
      id: rng.hex(64),
      name: `wok-${id}-${role === 'db' ? 'db' : 'fn'}`,
      image: role === 'db' ? DB_IMAGE : FN_IMAGE,
      role,
      wok: id,
      attrs,
      created,
    });
    const live = status !== 'destroyed';
    return {
      id,
      org,
      status,
      functionsPort: functions ? (port += 7) : null,
      db: live ? container('db') : null,
      fn: live && functions && status === 'active' ? container('functions') : null,
    };
  });
  return { orgs: ['acme', 'northwind', 'globex', 'initech'], users, llmKeys, woks };
}

export function user(w: DemoWorld, email: string): DemoUser {
  const u = w.users.find((x) => x.email === email);
  if (!u) throw new Error(`no demo user ${email}`);
  return u;
}

export function wok(w: DemoWorld, id: string): DemoWok {
  const k = w.woks.find((x) => x.id === id);
  if (!k) throw new Error(`no demo wok ${id}`);
  return k;
}

/** The inventory snapshot the cp would export for this world. */
export function inventoryOf(w: DemoWorld): InventorySnapshot {
  return {
    orgs: w.orgs.map((slug) => ({ slug })),
    woks: w.woks.map((k) => ({ id: k.id, org: k.org, status: k.status, functions_port: k.functionsPort })),
    keys: [
      ...w.users.map((u) => ({ prefix: u.key.prefix, sha256: u.key.sha256, org: u.org, user: u.email, kind: 'skl' as const })),
      ...w.llmKeys.map((k) => ({ prefix: k.key.prefix, sha256: k.key.sha256, org: k.org, user: k.user, kind: 'sllm' as const })),
    ],
  };
}
