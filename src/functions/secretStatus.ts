import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import { currentVersion } from '../activities/inspectSecret';
import { queryInstances } from '../azure/taskHubInstances';
import type { Config } from '../config';
import { decideRotation } from '../domain/rotationDue';
import { rotationIdPrefix } from '../domain/rotationId';
import type { RotationStatus } from '../orchestrations/rotationModel';
import type { RotationServices } from '../rotationServices';
import type { ManagedSecret } from '../secretSettings';
import { secretOf } from './secretOf';

const dayMs = 24 * 3_600_000;

/** A rotation as the secret endpoints list it. */
interface RotationSummary {
  rotationId: string;
  runtimeStatus: string;
  startedAt: string;
  requestedBy?: RotationStatus['requestedBy'];
  outcome?: RotationStatus['outcome'];
  reason?: string;
  version?: string;
}

/**
 * `GET /api/secrets`: every managed secret, newest rotation first: kind, consumers, current version
 * and its age, expiry, next rotation, and how its last rotation ended. Values are never read.
 */
export function listSecrets(config: Config, services: RotationServices): HttpHandler {
  return async (_req, context): Promise<HttpResponseInit> => {
    const client = df.getClient(context);
    const secrets = [];
    for (const secret of config.secrets) {
      const rotations = await rotationsOf(client, secret);
      secrets.push({ ...(await describe(services, secret)), lastRotation: rotations[0] ?? null });
    }
    return { status: 200, jsonBody: { secrets } };
  };
}

/** `GET /api/secrets/{name}`: one managed secret as the list shows it, with every rotation of it. */
export function secretStatus(config: Config, services: RotationServices): HttpHandler {
  return async (req, context): Promise<HttpResponseInit> => {
    const found = secretOf(config, req.params.name);
    if ('problem' in found) return found.problem;
    const rotations = await rotationsOf(df.getClient(context), found.secret);
    return { status: 200, jsonBody: { ...(await describe(services, found.secret)), rotations } };
  };
}

/** What Key Vault says of the secret now, or why it could not be read (without Azure's text). */
async function describe(services: RotationServices, secret: ManagedSecret): Promise<Record<string, unknown>> {
  const { name, kind, consumers, noticeDays } = secret;
  const base = {
    name,
    kind,
    consumers,
    noticeDays,
    ...('rotationDays' in secret ? { rotationDays: secret.rotationDays } : {}),
  };
  try {
    const current = await currentVersion(services, secret.keyVaultSecretUri);
    if (current === undefined)
      return { ...base, current: null, nextRotation: kind === 'manual' ? null : 'due now' };
    const now = Date.now();
    const next =
      secret.kind === 'manual'
        ? null
        : decideRotation(
            { createdOn: current.createdOn.toISOString(), expiresOn: current.expiresOn?.toISOString() },
            secret.rotationDays,
            now,
          );
    return {
      ...base,
      current: {
        version: current.version,
        createdOn: current.createdOn.toISOString(),
        ageDays: Math.floor((now - current.createdOn.getTime()) / dayMs),
        expiresOn: current.expiresOn?.toISOString() ?? null,
        enabled: current.enabled,
      },
      nextRotation: next === null ? null : next.due ? `due now: ${next.why}` : next.nextAt,
    };
  } catch {
    return { ...base, current: null, problem: 'Key Vault could not be read for this secret; try again.' };
  }
}

/** The secret's rotations, newest first, read by their instance id prefix. */
async function rotationsOf(client: DurableClient, secret: ManagedSecret): Promise<RotationSummary[]> {
  const instances = await queryInstances(client, { instanceIdPrefix: rotationIdPrefix(secret.name) });
  return instances
    .sort((a, b) => new Date(b.createdTime).getTime() - new Date(a.createdTime).getTime())
    .map(toRotationSummary);
}

function toRotationSummary(instance: DurableOrchestrationStatus): RotationSummary {
  const record = (instance.output ?? instance.customStatus) as Partial<RotationStatus> | null;
  return {
    rotationId: instance.instanceId,
    runtimeStatus: instance.runtimeStatus,
    startedAt: new Date(instance.createdTime).toISOString(),
    ...(record?.requestedBy === undefined ? {} : { requestedBy: record.requestedBy }),
    ...(record?.outcome === undefined ? {} : { outcome: record.outcome }),
    ...(record?.reason === undefined ? {} : { reason: record.reason }),
    ...(record?.version === undefined ? {} : { version: record.version }),
  };
}
