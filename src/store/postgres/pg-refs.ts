/**
 * Container references: each distinct ContainerRef is stored once (as JSON)
 * and events point at it by id. Ids already committed are cached per store;
 * one inserted by a transaction still open is not (it could be rolled back).
 */
import type { ContainerRef } from '../../model/event.js';
import type { Client } from './pg-connect.js';

const MAX_CACHED = 10_000;

/** A ref's stored form: its fields in a fixed order, so equal refs are equal text. */
export function refJson(c: ContainerRef): string {
  return JSON.stringify({ id: c.id, name: c.name, wok: c.wok, role: c.role, image: c.image });
}

export class RefCache {
  private readonly ids = new Map<string, number>();
  private readonly parsed = new Map<string, ContainerRef>();

  /** Ids for these refs (JSON → id), inserting the new ones in the caller's transaction. */
  async resolve(c: Client, refs: ContainerRef[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const missing = new Map<string, string>();
    for (const r of refs) {
      const json = refJson(r);
      if (out.has(json) || missing.has(json)) continue;
      const id = this.ids.get(json);
      if (id !== undefined) out.set(json, id);
      else missing.set(json, r.id);
    }
    if (!missing.size) return out;
    const jsons = [...missing.keys()].sort();
    const inserted = await c.query<{ id: number; ref: string }>(
      `INSERT INTO container_refs (ref, container_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (ref) DO NOTHING RETURNING id, ref`,
      [jsons, jsons.map((j) => missing.get(j)!)],
    );
    for (const r of inserted.rows) out.set(r.ref, r.id);
    const rest = jsons.filter((j) => !out.has(j));
    if (rest.length) {
      // These existed (committed by another transaction): safe to remember.
      const found = await c.query<{ id: number; ref: string }>('SELECT id, ref FROM container_refs WHERE ref = ANY($1::text[])', [rest]);
      for (const r of found.rows) {
        out.set(r.ref, r.id);
        this.remember(r.ref, r.id);
      }
    }
    return out;
  }

  /** The ContainerRef a row's JSON describes (parsed once). */
  parse(json: string | null): ContainerRef | null {
    if (json === null) return null;
    let ref = this.parsed.get(json);
    if (!ref) {
      ref = JSON.parse(json) as ContainerRef;
      if (this.parsed.size >= MAX_CACHED) this.parsed.clear();
      this.parsed.set(json, ref);
    }
    return ref;
  }

  private remember(json: string, id: number): void {
    if (this.ids.size >= MAX_CACHED) this.ids.clear();
    this.ids.set(json, id);
  }
}
