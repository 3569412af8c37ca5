import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ClientSecretCredential } from '@azure/identity';
import { resumeScaledClock, storeClock } from '../host/clockFile';
import { defaultDataDir } from '../host/host';
import { readLocalSettings } from '../host/settings';
import { alertCommand, budgetCommand } from './actionGroup/commands';
import type { CommandOptions } from './actionGroup/commands';
import { budgetAlertPath, metricAlertPath } from './actionGroup/module';
import { readSandboxConfig, sandboxIdentity } from './config';
import type { SandboxConfig } from './config';
import { parseFaults } from './imageFaults';
import { generateLoad } from './loadGenerator';
import { pushPath } from './registry/pushRoute';
import { startSandbox } from './sandbox';
import { audiences } from './tokens';

const repoRoot = join(__dirname, '..', '..', '..');
const usage = `Usage: npm run sandbox -- <command> [--sandbox https://localhost:PORT]
  serve                                  run the sandbox alone, until Ctrl-C
  push <repository>:<tag> [fault=value…] push an image to the running sandbox's registry; faults:
                                         errorRate=0.3 latencyMs=800 unhealthy=true startDelayMs=20000 crashAfterRequests=50
  load <site> [--rate 20] [--seconds 60] keep steady traffic on a site of the running sandbox
  budget <budgetName> --threshold 100    send a budget alert through the action group; also
                                         [--kind actual|forecasted] [--amount 1000] [--spent 1234.5]
                                         [--forecast 1300] [--currency EUR --locale de-DE]
                                         [--shape common|legacy] [--threshold-as amount|ratio|percent]
                                         [--start 2026-01-01] [--scope /subscriptions/ID/resourceGroups/RG]
  alert <site>[/slot] fired|resolved     fire or resolve a metric alert on a site or slot [--rule name]
  --sandbox                              where the running sandbox is (default: the port in dev/sandbox.json)`;

/** The settings the sandbox shares with Shepherd: local.settings.json, else the sample; the environment wins. */
function settingValues(): Record<string, string> {
  const own = join(repoRoot, 'local.settings.json');
  const file = existsSync(own) ? own : join(repoRoot, 'local.settings.sample.json');
  return {
    // Where the registry webhook finds Shepherd: npm start's host on its usual port, unless told otherwise.
    SHEPHERD_LOCAL_URL: 'http://localhost:7071',
    ...readLocalSettings(file).Values,
    ...(process.env as Record<string, string>),
  };
}

interface Target {
  base: string;
  config: SandboxConfig;
  token(audience: string): Promise<string>;
}

function target(sandbox: string | undefined): Target {
  const values = settingValues();
  const config = readSandboxConfig(join(repoRoot, 'dev', 'sandbox.json'), values);
  const base = sandbox ?? `https://localhost:${config.port}`;
  const { tenantId, clientId, clientSecret } = sandboxIdentity(values);
  const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, {
    authorityHost: base,
    disableInstanceDiscovery: true,
  });
  return {
    base,
    config,
    token: async (audience) => (await credential.getToken(`${audience}/.default`)).token,
  };
}

async function push(to: Target, reference: string | undefined, words: string[]): Promise<void> {
  const match = /^([^:]+):([^:]+)$/.exec(reference ?? '');
  if (!match?.[1] || !match[2]) throw new Error(`push takes <repository>:<tag>\n${usage}`);
  const faults = parseFaults(words);
  const res = await fetch(`${to.base}${pushPath}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await to.token(audiences.containerRegistry)}`,
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
    `Pushed ${to.config.registry.loginServer}/${match[1]}:${match[2]} as ${body.digest ?? '?'}\n`,
  );
  printDeliveries(body.deliveries ?? []);
}

/** One line per delivery, as `push` prints them: what was delivered and what failed with which status. */
function printDeliveries(deliveries: { kind: string; name: string; ok: boolean; status?: number }[]): void {
  for (const d of deliveries) {
    process.stdout.write(
      `  ${d.kind} ${d.name}: ${d.ok ? 'delivered' : `failed${d.status ? ` (${d.status})` : ''}`}\n`,
    );
  }
  if (deliveries.length === 0) process.stdout.write('  (no webhook is configured to hear it)\n');
}

/** Sends an alert through the running sandbox's action group and prints what became of it. */
async function sendAlert(to: Target, path: string, request: unknown, what: string): Promise<void> {
  const res = await fetch(`${to.base}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await to.token(audiences.arm)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(request),
  });
  const body = (await res.json()) as {
    alertId?: string;
    deliveries?: { kind: string; name: string; ok: boolean; status?: number }[];
  };
  if (!res.ok) throw new Error(`The alert was refused (${res.status}): ${JSON.stringify(body)}`);
  process.stdout.write(`Sent ${what}${body.alertId ? ` as ${body.alertId}` : ''}\n`);
  printDeliveries(body.deliveries ?? []);
}

async function load(to: Target, siteName: string | undefined, rate: number, seconds: number): Promise<void> {
  const site = to.config.sites.find((s) => s.name === siteName);
  if (!site)
    throw new Error(
      `load takes a site of dev/sandbox.json: ${to.config.sites.map((s) => s.name).join(', ')}`,
    );
  const id = `/subscriptions/${site.subscriptionId}/resourceGroups/${site.resourceGroup}/providers/Microsoft.Web/sites/${site.name}`;
  const res = await fetch(`${to.base}${id}?api-version=2025-05-01`, {
    headers: { authorization: `Bearer ${await to.token(audiences.arm)}` },
  });
  const host = res.ok
    ? ((await res.json()) as { properties?: { defaultHostName?: string } }).properties?.defaultHostName
    : undefined;
  if (!host)
    throw new Error(`The sandbox at ${to.base} does not answer for ${site.name}; is npm start running?`);
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
  const outcomes = Object.entries(summary.byStatus).map(
    ([status, n]) => `${n} × ${status === '0' ? 'no answer' : status}`,
  );
  process.stdout.write(`Sent ${summary.sent}: ${outcomes.join(', ')}\n`);
}

async function serve(): Promise<void> {
  const values = settingValues();
  const config = readSandboxConfig(join(repoRoot, 'dev', 'sandbox.json'), values);
  // The clock npm start's host keeps, so that a host started over the same folder shares it.
  const dataDir = defaultDataDir(repoRoot);
  const clock = resumeScaledClock(dataDir, config.secondsPerMinute);
  storeClock(dataDir, clock);
  const sandbox = await startSandbox(config, sandboxIdentity(values), clock);
  process.stdout.write(`Sandbox listening at ${sandbox.url}\n`);
  process.once('SIGINT', () => void sandbox.close().then(() => process.exit(0)));
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      rate: { type: 'string', default: '20' },
      seconds: { type: 'string', default: '60' },
      sandbox: { type: 'string' },
      threshold: { type: 'string' },
      kind: { type: 'string' },
      amount: { type: 'string' },
      spent: { type: 'string' },
      forecast: { type: 'string' },
      currency: { type: 'string' },
      locale: { type: 'string' },
      shape: { type: 'string' },
      'threshold-as': { type: 'string' },
      start: { type: 'string' },
      scope: { type: 'string' },
      rule: { type: 'string' },
    },
  });
  const options: CommandOptions = values;
  const [command, first, ...rest] = positionals;
  if (command === 'budget') {
    const request = budgetCommand(first, options);
    return sendAlert(target(values.sandbox), budgetAlertPath, request, `a budget alert for ${first ?? ''}`);
  }
  if (command === 'alert') {
    const to = target(values.sandbox);
    const request = alertCommand(first, rest[0], options, to.config.sites);
    return sendAlert(to, metricAlertPath, request, `${rest[0] ?? ''} alert on ${first ?? ''}`);
  }
  if (command === 'push') return push(target(values.sandbox), first, rest);
  if (command === 'load')
    return load(target(values.sandbox), first, Number(values.rate), Number(values.seconds));
  if (command === 'serve') return serve();
  throw new Error(usage);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
