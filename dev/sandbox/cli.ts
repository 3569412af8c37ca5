import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ClientSecretCredential } from '@azure/identity';
import { readLocalSettings } from '../host/settings';
import { readSandboxConfig } from './config';
import type { SandboxConfig } from './config';
import { parseFaults } from './imageFaults';
import { generateLoad } from './loadGenerator';
import { pushPath } from './registry/pushRoute';
import { startSandbox } from './sandbox';
import { audiences } from './tokens';

const repoRoot = join(__dirname, '..', '..', '..');
const usage = `Usage: npm run sandbox -- <command>
  serve                                  run the sandbox alone, until Ctrl-C
  push <repository>:<tag> [fault=value…] push an image to the running sandbox's registry
                                         faults: errorRate=0.3 latencyMs=800 unhealthy=true startDelayMs=20000 crashAfterRequests=50
  load <site> [--rate 20] [--seconds 60] keep steady traffic on a site of the running sandbox`;

/** The settings the sandbox shares with Shepherd: local.settings.json, else the sample. */
function settingsValues(): Record<string, string> {
  for (const file of ['local.settings.json', 'local.settings.sample.json']) {
    try {
      readFileSync(join(repoRoot, file));
      return {
        ...readLocalSettings(join(repoRoot, file)).Values,
        ...(process.env as Record<string, string>),
      };
    } catch {
      // try the next file
    }
  }
  return process.env as Record<string, string>;
}

export function sandboxIdentity(values: Record<string, string>): {
  tenantId: string;
  clientId: string;
  clientSecret: string;
} {
  const { AZURE_TENANT_ID: tenantId, AZURE_CLIENT_ID: clientId, AZURE_CLIENT_SECRET: clientSecret } = values;
  if (!tenantId || !clientId || !clientSecret)
    throw new Error(
      'AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET must be set for the sandbox identity.',
    );
  return { tenantId, clientId, clientSecret };
}

function loadConfig(values: Record<string, string>): SandboxConfig {
  return readSandboxConfig(join(repoRoot, 'dev', 'sandbox.json'), values);
}

async function token(
  config: SandboxConfig,
  values: Record<string, string>,
  audience: string,
): Promise<string> {
  const { tenantId, clientId, clientSecret } = sandboxIdentity(values);
  const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, {
    authorityHost: `https://localhost:${config.port}`,
    disableInstanceDiscovery: true,
  });
  return (await credential.getToken(`${audience}/.default`)).token;
}

async function push(reference: string | undefined, words: string[]): Promise<void> {
  const match = /^([^:]+):([^:]+)$/.exec(reference ?? '');
  if (!match?.[1] || !match[2]) throw new Error(`push takes <repository>:<tag>\n${usage}`);
  const values = settingsValues();
  const config = loadConfig(values);
  const faults = parseFaults(words);
  const res = await fetch(`https://localhost:${config.port}${pushPath}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await token(config, values, audiences.containerRegistry)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ repository: match[1], tag: match[2], faults }),
  });
  const body = (await res.json()) as {
    digest?: string;
    deliveries?: { kind: string; name: string; ok: boolean; status?: number }[];
  };
  if (!res.ok) throw new Error(`The push was refused (${res.status}): ${JSON.stringify(body)}`);
  process.stdout.write(
    `Pushed ${config.registry.loginServer}/${match[1]}:${match[2]} as ${body.digest ?? '?'}\n`,
  );
  for (const d of body.deliveries ?? [])
    process.stdout.write(
      `  ${d.kind} ${d.name}: ${d.ok ? 'delivered' : `failed${d.status ? ` (${d.status})` : ''}`}\n`,
    );
}

async function load(siteName: string | undefined, rate: number, seconds: number): Promise<void> {
  const values = settingsValues();
  const config = loadConfig(values);
  const site = config.sites.find((s) => s.name === siteName);
  if (!site)
    throw new Error(`load takes a site of dev/sandbox.json: ${config.sites.map((s) => s.name).join(', ')}`);
  const id = `/subscriptions/${site.subscriptionId}/resourceGroups/${site.resourceGroup}/providers/Microsoft.Web/sites/${site.name}`;
  const res = await fetch(`https://localhost:${config.port}${id}?api-version=2025-05-01`, {
    headers: { authorization: `Bearer ${await token(config, values, audiences.arm)}` },
  });
  const host = ((await res.json()) as { properties?: { defaultHostName?: string } }).properties
    ?.defaultHostName;
  if (!res.ok || !host)
    throw new Error(`The sandbox does not answer for ${site.name}; is npm start running?`);
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.stdout.write(
    `Sending ${rate} requests a second to https://${host}/ for ${seconds} s (Ctrl-C stops)\n`,
  );
  const summary = await generateLoad({
    url: `https://${host}/`,
    rate,
    durationMs: seconds * 1000,
    signal: abort.signal,
  });
  process.stdout.write(
    `Sent ${summary.sent}: ${Object.entries(summary.byStatus)
      .map(([s, n]) => `${n} × ${s === '0' ? 'no answer' : s}`)
      .join(', ')}\n`,
  );
}

async function serve(): Promise<void> {
  const values = settingsValues();
  const sandbox = await startSandbox(loadConfig(values), sandboxIdentity(values));
  process.stdout.write(`Sandbox listening at ${sandbox.url}\n`);
  process.once('SIGINT', () => void sandbox.close().then(() => process.exit(0)));
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { rate: { type: 'string', default: '20' }, seconds: { type: 'string', default: '60' } },
  });
  const [command, first, ...rest] = positionals;
  if (command === 'push') return push(first, rest);
  if (command === 'load') return load(first, Number(values.rate), Number(values.seconds));
  if (command === 'serve') return serve();
  throw new Error(usage);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
