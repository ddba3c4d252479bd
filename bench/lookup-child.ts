/**
 * Runs the in-process lookups in a process of their own, as a server or the
 * CLI would hold the store: the bench process itself carries the corpus
 * generator's and the baseline's heap, whose collections would land in the
 * measured lookups. The store is a target as `--db` takes it (a SQLite file or
 * a postgres:// URL). Reads its input from a JSON file, prints the result as JSON.
 */
import { readFileSync } from 'node:fs';
import { lookupInProcess } from './lookups.js';

const input = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { target: string; ids: string[]; warmup: string[]; capSeconds: number };
const result = await lookupInProcess(input.target, input.ids, input.warmup, input.capSeconds);
process.stdout.write(JSON.stringify(result));
