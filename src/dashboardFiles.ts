import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

/** One file of the built dashboard, as it is served. */
export interface DashboardFile {
  body: string;
  contentType: string;
  /** A strong validator of the body, so a browser can ask again with `If-None-Match`. */
  etag: string;
}

/** The built dashboard: its page, and the assets it loads, by file name. */
export interface DashboardFiles {
  page: DashboardFile;
  assets: ReadonlyMap<string, DashboardFile>;
}

/** Where `npm run build` puts the dashboard, beside this module in `dist/src`. */
export const builtDashboardDir = join(__dirname, 'dashboard');

/** The only kinds of file served; anything else the build leaves there (none today) is not. */
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

function fileAt(path: string, contentType: string): DashboardFile {
  const body = readFileSync(path, 'utf8');
  return { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url')}"` };
}

/**
 * Reads the built dashboard from `dir`: `index.html` and the files of `assets/`. Only these names are
 * ever served, so a request cannot name any other file. Throws when the dashboard was not built.
 */
export function readDashboardFiles(dir = builtDashboardDir): DashboardFiles {
  const assetsDir = join(dir, 'assets');
  const assets = new Map<string, DashboardFile>();
  for (const entry of readdirSync(assetsDir, { withFileTypes: true })) {
    const contentType = contentTypes[extname(entry.name)];
    if (entry.isFile() && contentType !== undefined)
      assets.set(entry.name, fileAt(join(assetsDir, entry.name), contentType));
  }
  return { page: fileAt(join(dir, 'index.html'), 'text/html; charset=utf-8'), assets };
}

let built: DashboardFiles | undefined;

/** The built dashboard, read once on first use (it does not change while the app runs). */
export function builtDashboard(): DashboardFiles {
  built ??= readDashboardFiles();
  return built;
}
