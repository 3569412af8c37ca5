import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The last step of `npm run build`: puts the dashboard's page, styles, icon and chart library beside its
 * compiled script in `dist/src/dashboard`, where the app serves them from (and the Docker image copies).
 * Chart.js is copied from the devDependency at build time, so the app has no runtime dependency on
 * it and no browser ever loads it from a CDN.
 */
const repoRoot = join(__dirname, '..', '..');
const source = join(repoRoot, 'src', 'dashboard');
const built = join(repoRoot, 'dist', 'src', 'dashboard');

mkdirSync(join(built, 'assets'), { recursive: true });
copyFileSync(join(source, 'index.html'), join(built, 'index.html'));
for (const file of ['dashboard.css', 'shepherd.svg'])
  copyFileSync(join(source, 'assets', file), join(built, 'assets', file));

// The UMD build bundles its one dependency and sets `window.Chart`. Its source map is not shipped, so
// the line pointing at it goes (the MIT licence banner at its top stays).
const chartJs = join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');
const library = readFileSync(chartJs, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
writeFileSync(join(built, 'assets', 'chart.umd.min.js'), library);
