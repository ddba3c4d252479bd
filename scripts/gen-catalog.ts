/**
 * Regenerates src/catalog/catalog.generated.ts from the seed text.
 *
 *   node dist/scripts/gen-catalog.js [--seed PATH]
 *
 * With --seed the seed copy in src/catalog/seed/ is refreshed from PATH first
 * (e.g. ../shared/seeds/000_f7adaee2bf1cacb4.txt), so the checked-in copy and
 * the generated table never drift from the platform's page.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseSeed, renderCatalogModule } from '../src/catalog/parse-seed.js';
import { projectRoot } from '../src/project-root.js';

const seedCopy = path.join(projectRoot(), 'src/catalog/seed/error-codes.txt');
const out = path.join(projectRoot(), 'src/catalog/catalog.generated.ts');

const { values } = parseArgs({ options: { seed: { type: 'string' } } });
if (values.seed) copyFileSync(values.seed, seedCopy);
const entries = parseSeed(readFileSync(seedCopy, 'utf8'));
writeFileSync(out, renderCatalogModule(entries));
console.log(`wrote ${entries.length} codes to ${path.relative(process.cwd(), out)}`);
