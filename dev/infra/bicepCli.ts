import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { isExecutable } from '../../src/azure/postgresTools';

/** The Bicep CLI version `fetchBicep` restores: the one the NuGet feed here serves. */
export const bicepVersion = '0.49.2';

/** The NuGet package holding the Linux x64 Bicep CLI, a single self-contained `bicep` binary under `tools/`. */
const bicepPackage = 'Azure.Bicep.CommandLine.linux-x64';

/** The repository's root: two levels above this file's folder once built (`dist/dev/infra`). */
export const repoRoot = join(__dirname, '..', '..', '..');

/** The template `azd up` deploys. */
export const mainBicep = join(repoRoot, 'infra', 'main.bicep');

/** Set (to anything) in CI, where a missing Bicep CLI fails the infra tests instead of being reported. */
export const requireBicepVariable = 'SHEPHERD_REQUIRE_BICEP';

/** Where fetched tools live; `.local/` is gitignored. */
const fetchedPackages = join(repoRoot, '.local', 'bicep', 'packages');

/** Where a fetched CLI's binary is (NuGet's global-packages layout lowercases the id). */
function fetchedBicepPath(): string {
  return join(fetchedPackages, bicepPackage.toLowerCase(), bicepVersion, 'tools', 'bicep');
}

/**
 * The Bicep CLI to use, or undefined when there is none: `bicep` on `searchPath`, then the Azure
 * CLI's own copy in `~/.azure/bin`, then one `fetchBicep` restored. Nothing is downloaded here.
 */
export function findBicep(searchPath: string = process.env.PATH ?? ''): string | undefined {
  const candidates = [
    ...searchPath
      .split(delimiter)
      .filter((dir) => dir !== '')
      .map((dir) => join(dir, 'bicep')),
    join(homedir(), '.azure', 'bin', 'bicep'),
    fetchedBicepPath(),
  ];
  return candidates.find(isExecutable);
}

/**
 * Restores the Bicep CLI from NuGet through the .NET SDK into `.local/bicep` and returns its path.
 * A throwaway project with a `PackageDownload` item asks for exactly one package version and builds
 * nothing; the package lands in `.local/bicep/packages` in NuGet's global-packages layout.
 */
export function fetchBicep(): string {
  const projectDir = join(repoRoot, '.local', 'bicep', 'restore');
  mkdirSync(projectDir, { recursive: true });
  const project = join(projectDir, 'bicep-restore.csproj');
  writeFileSync(
    project,
    [
      '<Project Sdk="Microsoft.NET.Sdk">',
      '  <PropertyGroup><TargetFramework>netstandard2.0</TargetFramework></PropertyGroup>',
      '  <ItemGroup>',
      `    <PackageDownload Include="${bicepPackage}" Version="[${bicepVersion}]" />`,
      '  </ItemGroup>',
      '</Project>',
      '',
    ].join('\n'),
  );
  execFileSync('dotnet', ['restore', project, '--packages', fetchedPackages], { stdio: 'inherit' });
  const bicep = fetchedBicepPath();
  if (!isExecutable(bicep))
    throw new Error(`dotnet restore finished, but ${bicep} is not an executable file`);
  return bicep;
}

/** What one `bicep build` printed: the ARM JSON, and every diagnostic line (errors and warnings alike). */
export interface BicepBuild {
  template: string;
  diagnostics: string[];
}

/**
 * Compiles `file` with `bicep` and returns the ARM JSON with every diagnostic the compiler and its
 * linter printed. A build with errors throws, naming them; warnings come back for the caller to judge.
 */
export function buildBicep(bicep: string, file: string): BicepBuild {
  const result = spawnSync(bicep, ['build', file, '--stdout'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    // Bicep's telemetry has nowhere to go from here.
    env: { ...process.env, BICEP_TELEMETRY_ENABLED: 'false' },
  });
  if (result.error !== undefined) throw result.error;
  const diagnostics = result.stderr.split('\n').filter((line) => line.trim() !== '');
  if (result.status !== 0) {
    throw new Error(`bicep build ${file} failed (exit ${String(result.status)}):\n${diagnostics.join('\n')}`);
  }
  return { template: result.stdout, diagnostics };
}
