/** Runs incidentsInProcess (bench/incidents.ts) in a process of its own; input from a JSON file, the result as JSON. */
import { readFileSync } from 'node:fs';
import { incidentsInProcess } from './incidents.js';

const input = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { db: string; runs: number };
process.stdout.write(JSON.stringify(await incidentsInProcess(input.db, input.runs)));
