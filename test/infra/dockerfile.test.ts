import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { repoRoot } from '../../dev/infra/bicepCli';
import { findBinDir } from '../support/postgres';

/**
 * The Dockerfile is linted by dockerfile-utils (the Dockerfile checks of VS Code's Docker language
 * server), since hadolint cannot be had from the registries here: Debian has no package, and npm's
 * hadolint packages only wrap a binary fetched from elsewhere. Its build mirrors what .ci/run proves:
 * the same Node.js major, the same build, the same PostgreSQL tools and the layout Shepherd finds them by.
 */
const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
const instructions = DockerfileParser.parse(dockerfile).getInstructions();
const mainBicep = readFileSync(join(repoRoot, 'infra', 'main.bicep'), 'utf8');
const azureYaml = readFileSync(join(repoRoot, 'azure.yaml'), 'utf8');
const functionAppBicep = readFileSync(join(repoRoot, 'infra', 'modules', 'functionApp.bicep'), 'utf8');

function argumentsOf(keyword: string): string[] {
  return instructions.filter((i) => i.getKeyword() === keyword).map((i) => i.getArgumentsContent() ?? '');
}

const postgresMajorArg = (): number => {
  const declared = argumentsOf('ARG').find((a) => a.startsWith('POSTGRES_MAJOR='));
  assert.ok(declared, 'ARG POSTGRES_MAJOR=<default>');
  return Number(declared.split('=')[1]);
};

describe('Dockerfile', () => {
  it('passes the Dockerfile linter with nothing to say', () => {
    assert.deepEqual(
      validate(dockerfile).map((d) => ({ line: d.range.start.line + 1, message: d.message })),
      [],
    );
  });

  it('builds and runs on the Node.js major the tests run on', () => {
    const major = process.versions.node.split('.')[0] ?? '';
    const bases = argumentsOf('FROM').map((from) => from.split(/\s+/)[0] ?? '');
    assert.equal(bases.length, 2, 'a build stage and the Functions runtime stage');
    assert.match(bases[0] ?? '', new RegExp(`^node:${major}-`), 'the build stage');
    assert.equal(bases[1], `mcr.microsoft.com/azure-functions/node:4-node${major}`, 'the runtime stage');
  });

  it('builds with the same npm ci and build as CI, and ships only production dependencies', () => {
    const runs = argumentsOf('RUN');
    assert.ok(runs.includes('npm ci --no-audit --no-fund'), 'the build stage installs from the lock file');
    assert.ok(runs.includes('npm run build'));
    assert.ok(runs.includes('npm ci --omit=dev --no-audit --no-fund'), 'the runtime stage');
    assert.ok(
      argumentsOf('COPY').includes('/src/dist/src ./dist/src'),
      'the runtime stage takes the built app',
    );
  });

  it('installs the PostgreSQL client of the one major infra/ and azure.yaml agree on', () => {
    const major = postgresMajorArg();
    assert.ok(
      argumentsOf('RUN').some((r) => r.includes('"postgresql-client-${POSTGRES_MAJOR}"')),
      'the client package of that major',
    );
    assert.equal(
      Number(/param postgresClientMajor int = (\d+)/.exec(mainBicep)?.[1]),
      major,
      'infra default',
    );
    assert.match(azureYaml, new RegExp(`POSTGRES_MAJOR=\\$\\{SHEPHERD_POSTGRES_MAJOR=${String(major)}\\}`));
    assert.match(
      functionAppBicep,
      /'\/usr\/lib\/postgresql\/\$\{postgresClientMajor\}\/bin'/,
      'SHEPHERD_PG_BIN_DIR',
    );
  });

  it("finds pg_dump where the image's packages put it, as it does on the machine the tests run on", () => {
    const bin = findBinDir();
    assert.match(bin, /^\/usr\/lib\/postgresql\/\d+\/bin$/, 'the Debian and PGDG layout');
    const version = execFileSync(join(bin, 'pg_dump'), ['--version'], { encoding: 'utf8' });
    const machineMajor = Number(/(\d+)\.\d+/.exec(version)?.[1]);
    assert.ok(
      machineMajor <= postgresMajorArg(),
      `the image's pg_dump ${String(postgresMajorArg())} dumps servers up to its own major, the tests' ${String(machineMajor)} among them`,
    );
  });
});
