import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG_ENTRIES } from '../../src/catalog/catalog.generated.js';
import { catalog } from '../../src/catalog/catalog.js';
import { legendSides, parseSeed, renderCatalogModule, SeedFormatError } from '../../src/catalog/parse-seed.js';
import { projectRoot } from '../../src/project-root.js';

const seedCopy = path.join(projectRoot(), 'src/catalog/seed/error-codes.txt');
const seed = readFileSync(seedCopy, 'utf8');

describe('catalogue', () => {
  it('the checked-in module is exactly what the generator makes of the seed', () => {
    const generated = readFileSync(path.join(projectRoot(), 'src/catalog/catalog.generated.ts'), 'utf8');
    expect(generated).toBe(renderCatalogModule(parseSeed(seed)));
  });

  it('the seed copy is the platform page, byte for byte, where that page is at hand', () => {
    const shared = path.join(projectRoot(), '..', 'shared', 'seeds', '000_f7adaee2bf1cacb4.txt');
    let original: string;
    try {
      original = readFileSync(shared, 'utf8');
    } catch {
      return; // a clone outside the workspace has only the copy
    }
    expect(seed).toBe(original);
  });

  it('holds every code row of the seed, each once, with a group', () => {
    const rows = seed.split('\n').filter((l) => /^CP_[A-Z_]+\d{3}/.test(l));
    expect(CATALOG_ENTRIES.map((e) => e.code)).toEqual(rows.map((l) => /^(CP_[A-Z_]+?)\d{3}/.exec(l)![1]));
    expect(catalog.groups()).toEqual(['Authentication & authorization', 'Not found / wrong state', 'Validation', 'Capacity & rate limits', 'Upstream / platform']);
  });

  it('keeps the fix side as the seed writes it, and the remediation word for word', () => {
    for (const e of CATALOG_ENTRIES) {
      const row = seed.split('\n').find((l) => l.startsWith(e.code + String(e.http)))!;
      expect(row).toBe(`${e.code}${e.http}${e.fixSide}${e.remediation}`);
    }
    expect(catalog.get('CP_PROJECT_NOT_FOUND')).toMatchObject({ http: 404, fixSide: 'caller / state', group: 'Not found / wrong state' });
    expect(catalog.get('CP_LLM_UPSTREAM_FAILED')?.fixSide).toBe('platform / BYOK');
    expect(catalog.get('CP_SQL_TOO_LARGE')?.remediation).toBe('exec_sql body exceeds 1 MiB. Split into smaller migrations.');
    expect(new Set(CATALOG_ENTRIES.map((e) => e.fixSide))).toEqual(new Set(['caller', 'state', 'platform', 'caller / state', 'platform / BYOK']));
  });

  it('reads the fix-side vocabulary from the legend', () => {
    expect(legendSides(seed)).toEqual(['caller', 'state', 'platform']);
  });

  it('falls back to the cp\'s own hint for codes beyond the list', () => {
    expect(catalog.remediation('CP_SOMETHING_NEW', { hint: 'do the thing', http: 418 })).toEqual({ kind: 'uncatalogued', code: 'CP_SOMETHING_NEW', http: 418, text: 'do the thing' });
    expect(catalog.remediation('CP_SOMETHING_NEW', { message: 'only a message' })?.text).toBe('only a message');
    expect(catalog.remediation(null)).toBeNull();
  });

  it('rejects a seed whose rows do not parse', () => {
    const broken = seed.replace('CP_UNAUTHENTICATED401caller', 'CP_UNAUTHENTICATED401nobody');
    expect(() => parseSeed(broken)).toThrow(SeedFormatError);
    expect(() => parseSeed('nothing here')).toThrow(SeedFormatError);
  });
});
