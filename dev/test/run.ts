import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * `npm test`: every test file under dist/test, with each sandbox writing down the ARM operations
 * Shepherd calls; then the check that Shepherd's roles in infra/ cover each of them, which can only
 * run once the end-to-end tests have made those calls. Files named on the command line run alone,
 * without the check.
 */
const repoRoot = join(__dirname, '..', '..', '..');
const testRoot = join(repoRoot, 'dist', 'test');
const operationLog = join(repoRoot, '.local', 'arm-operations');
const coverageCheck = join(testRoot, 'infra', 'roleCoverage.check.js');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return testFiles(path);
      return entry.name.endsWith('.test.js') ? [path] : [];
    })
    .sort();
}

function runTests(files: string[], env: NodeJS.ProcessEnv): boolean {
  const args = ['--test', '--test-reporter=spec', '--test-timeout=300000', ...files];
  const run = spawnSync(process.execPath, args, { stdio: 'inherit', env, cwd: repoRoot });
  return run.status === 0;
}

const named = process.argv.slice(2);
if (named.length > 0) {
  process.exitCode = runTests(named, process.env) ? 0 : 1;
} else {
  rmSync(operationLog, { recursive: true, force: true });
  mkdirSync(operationLog, { recursive: true });
  const env = { ...process.env, SANDBOX_ARM_OPERATION_LOG: operationLog };
  const suitePassed = runTests(testFiles(testRoot), env);
  process.stdout.write(
    `\nThe roles in infra/ against the ARM operations the suite saw (${relative(repoRoot, operationLog)}):\n`,
  );
  const coveragePassed = runTests([coverageCheck], env);
  process.exitCode = suitePassed && coveragePassed ? 0 : 1;
}
