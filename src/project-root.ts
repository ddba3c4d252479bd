import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/** The checkout's top folder (where package.json is), from source or from dist/. */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  cached = dir;
  return dir;
}

/**
 * The compiled JavaScript for a module of ours. Worker threads need a .js file:
 * running from dist/ that is the module itself; running the TypeScript sources
 * (under vitest) it is the same module in dist/, built by `npm run build`.
 */
export function compiledModule(moduleUrl: string): string {
  const file = fileURLToPath(moduleUrl);
  if (file.endsWith('.js')) return file;
  const root = projectRoot();
  const built = path.join(root, 'dist', path.relative(root, file)).replace(/\.ts$/, '.js');
  if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build`);
  return built;
}
