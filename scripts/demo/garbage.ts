/**
 * The few lines that must parse as nothing, each of a kind real log files
 * hold: a library's warning printed to the same output as pino, a line cut
 * short by a writer killed mid-write, a pino-pretty line from someone who
 * turned on pretty printing, and NUL bytes a host crash left in a Docker log.
 * The ingest must keep each as "unparsed" (and nothing else).
 */
import type { Prng } from './prng.js';
import type { ContainerFiles } from './write-containers.js';

export interface GarbageLine {
  /** The file, relative to the demo folder. */
  file: string;
  /** 1-based line number. */
  line: number;
  text: string;
}

/** Inserts the garbage into the files' line arrays (in place) and says where each went. */
export function insertGarbage(files: Record<string, string[]>, containers: ContainerFiles[], rng: Prng): GarbageLine[] {
  const placed: { file: string; lines: string[]; text: string }[] = [];
  const put = (file: string, lines: string[], at: number, text: string) => {
    lines.splice(Math.min(at, lines.length), 0, text);
    placed.push({ file, lines, text });
  };

  const cp1 = files['cp-1.log']!;
  put('cp-1.log', cp1, 1, 'Warning: connect.session() MemoryStore is not designed for a production environment, as it will leak memory, and will not scale past a single process.');

  const cp2 = files['cp-2.log']!;
  const cutAt = Math.floor(cp2.length * 0.4);
  // A partial write: the beginning of the next line, without its end.
  put('cp-2.log', cp2, cutAt, cp2[cutAt]!.slice(0, 96));
  put('cp-2.log', cp2, Math.floor(cp2.length * 0.7), '\u001b[90m[14:02:11.512]\u001b[39m \u001b[32mINFO\u001b[39m (cp/1): \u001b[36mreloading route table\u001b[39m');

  const audit = files['audit.log']!;
  const a = Math.floor(audit.length * 0.5);
  put('audit.log', audit, a, audit[a]!.slice(0, 70));

  const db = containers.find((c) => [...c.files.keys()].some((f) => f.endsWith('.log.1')));
  if (db) {
    const name = [...db.files.keys()].find((f) => f.endsWith('-json.log'))!;
    const lines = db.files.get(name)!;
    const at = rng.int(2, Math.max(2, lines.length - 2));
    put(`docker/containers/${db.dir}/${name}`, lines, at, '\u0000'.repeat(64) + lines[at]!.slice(0, 40));
  }

  return placed.map((p) => ({ file: p.file, line: p.lines.indexOf(p.text) + 1, text: p.text }));
}
