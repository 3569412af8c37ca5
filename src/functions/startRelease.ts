import { randomBytes } from 'node:crypto';
import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import { AzureOperationError } from '../azure/azureOperationError';
import type { FreezeStore } from '../azure/freezeStore';
import type { ImageRegistry, ResolvedManifest } from '../azure/imageRegistry';
import { freezeOfPush, freezesInForce } from '../freezeControl';
import type { Config, Target } from '../config';
import { decidePushedArtifact } from '../domain/pushedArtifact';
import { attemptInstanceId } from '../domain/releaseId';
import { releaseOrchestrator } from '../functionNames';
import { targetSnapshot } from '../orchestrations/releaseModel';
import type { ReleaseInput } from '../orchestrations/releaseModel';
import { parseReleaseRequest } from './payloads/releaseRequest';
import type { RequestedImage } from './payloads/releaseRequest';
import { problemResponse } from './problem';
import { readJsonBody } from './readJsonBody';
import { callerOf } from './caller';
import { targetOf } from './targetOf';

/**
 * `POST /api/targets/{target}/releases` with `{ "image": "<tag>" | "sha256:<digest>" |
 * "<repository>:<tag>@sha256:<digest>", "reason": "…" }`: starts a new attempt of an image of the
 * target's repository, e.g. one a freeze refused or a false alarm rolled back, whose push can never
 * release it again. A tag is resolved to its digest in the registry; the release is pinned to the
 * digest. It runs like a push's release (frozen environments refuse it), records who asked and why,
 * and answers 202 with its status URL.
 */
export function startRelease(config: Config, registry: ImageRegistry, freezes: FreezeStore): HttpHandler {
  return async (req, context): Promise<HttpResponseInit> => {
    const found = targetOf(config, req.params.target);
    if ('problem' in found) return found.problem;
    const { target } = found;
    const read = await readJsonBody(req, '{"image": "<tag or digest>", "reason": "…"}');
    if ('problem' in read) return read.problem;
    const parsed = parseReleaseRequest(read.body, target.registry);
    if (!parsed.ok)
      return problemResponse(400, 'Bad Request', 'The release request is not valid.', {
        errors: parsed.problems,
      });
    const { image, reason } = parsed.value;
    const resolved = await resolveImage(registry, target, image);
    if ('problem' in resolved) return resolved.problem;
    const { manifest } = resolved;
    // A person names an image explicitly, so the tag policy does not apply; what is not an image never releases.
    const tag = image.tag ?? manifest.tags[0] ?? '';
    const artifact = decidePushedArtifact({ tag });
    if (!artifact.release) return problemResponse(422, 'Unprocessable Content', `${artifact.reason}.`);

    const releaseId = attemptInstanceId(target.name, manifest.digest, randomBytes(4).toString('hex'));
    const { loginServer, repository } = target.registry;
    const requestedBy = { by: callerOf(req.headers, config.easyAuthEnabled), reason };
    const input: ReleaseInput = {
      kind: 'push',
      releaseId,
      target: targetSnapshot(target),
      image: `${loginServer}/${repository}${tag === '' ? '' : `:${tag}`}@${manifest.digest}`,
      tag,
      digest: manifest.digest,
      ...freezeOfPush(await freezesInForce(config, freezes), target, manifest.digest),
      requestedBy,
    };
    await df.getClient(context).startNew(releaseOrchestrator, { instanceId: releaseId, input });
    context.log(`release of ${input.image} to ${target.name} asked by ${requestedBy.by}: ${releaseId}`);
    return {
      status: 202,
      headers: { location: `/api/releases/${encodeURIComponent(releaseId)}` },
      jsonBody: { releaseId, image: input.image },
    };
  };
}

/** The manifest the request names in the target's repository, or the problem to answer. */
async function resolveImage(
  registry: ImageRegistry,
  target: Target,
  image: RequestedImage,
): Promise<{ manifest: ResolvedManifest } | { problem: HttpResponseInit }> {
  const { loginServer, repository } = target.registry;
  const reference = image.digest === undefined ? image.tag : image.digest;
  try {
    const manifest = await registry.resolve({ loginServer, repository }, reference);
    if (manifest !== undefined) return { manifest };
    const what = image.digest === undefined ? `tag ${reference}` : `manifest ${reference}`;
    return {
      problem: problemResponse(404, 'Not Found', `${loginServer}/${repository} has no ${what}.`),
    };
  } catch (err) {
    if (!(err instanceof AzureOperationError)) throw err;
    // Azure's own words may name more than the caller should see; the status and code say enough.
    const answer = [err.status, err.code].filter((part) => part !== undefined).join(' ');
    return {
      problem: problemResponse(
        502,
        'Bad Gateway',
        `Shepherd could not read ${loginServer}/${repository}${answer === '' ? '' : ` (the registry answered ${answer})`}.`,
      ),
    };
  }
}
