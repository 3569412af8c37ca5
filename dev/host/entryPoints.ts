import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import picomatch from 'picomatch';

/**
 * The files `main` in package.json names, as the Node.js worker reads it: a path or a glob, relative to
 * the app's folder (the worker matches it with `globby`; e.g. `dist/src/functions/*.js` loads every
 * function file). Dot files are not matched, as globby does not by default. In name order, so that
 * every run loads them alike; none when nothing matches.
 */
export function entryPointFiles(appDir: string, main: string): string[] {
  const { base, glob, isGlob } = picomatch.scan(main);
  if (!isGlob) {
    const file = resolve(appDir, main);
    return isFile(file) ? [file] : [];
  }
  const root = resolve(appDir, base);
  const matches = picomatch(glob);
  const depth = glob.includes('**') ? Number.POSITIVE_INFINITY : glob.split('/').length;
  return filesUnder(root, depth)
    .filter((path) => matches(path))
    .sort()
    .map((path) => join(root, path));
}

/** Files below `root` at most `depth` levels down, as `/`-separated paths relative to it. */
function filesUnder(root: string, depth: number, prefix = ''): string[] {
  let entries;
  try {
    entries = readdirSync(join(root, prefix), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) return depth > 1 ? filesUnder(root, depth - 1, path) : [];
    return entry.isFile() ? [path] : [];
  });
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
