import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBicep, fetchBicep, findBicep, mainBicep, repoRoot } from './bicepCli';

/** Where the compiled ARM JSON is written. */
const compiledDir = join(repoRoot, '.local', 'infra');

/**
 * `npm run infra:check`: compiles `infra/main.bicep` with the real Bicep CLI (fetched from NuGet
 * when none is found) and fails on any error or linter warning; writes the ARM JSON under `.local/infra`.
 */
function main(): void {
  const bicep = findBicep() ?? fetchBicep();
  const build = buildBicep(bicep, mainBicep);
  if (build.diagnostics.length > 0) {
    console.error(
      `infra/main.bicep compiled with diagnostics; every one must go:\n${build.diagnostics.join('\n')}`,
    );
    process.exitCode = 1;
    return;
  }
  mkdirSync(compiledDir, { recursive: true });
  const out = join(compiledDir, 'main.json');
  writeFileSync(out, build.template);
  console.log(`infra/main.bicep: no errors, no warnings (${bicep}); ARM JSON in ${out}`);
}

main();
