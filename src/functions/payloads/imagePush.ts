import { z } from 'zod';
import { requiredString, stringField, timestamp } from './fields';

/** A sha256 content digest as the OCI image spec writes it. */
const digest = stringField.regex(
  /^sha256:[0-9a-f]{64}$/,
  'expected "sha256:" followed by 64 lowercase hex digits',
);

/**
 * A registry event about a pushed image, as ACR sends it both as the webhook body and as the `data`
 * of its `Microsoft.ContainerRegistry.ImagePushed` event. Only what a release needs is checked;
 * ACR adds fields over time, and extra ones pass.
 */
export const registryPush = z.object({
  id: requiredString,
  timestamp,
  target: z.object({
    mediaType: requiredString,
    digest,
    repository: requiredString,
    // A push by digest alone names no tag.
    tag: z.string().optional(),
  }),
  request: z.object({ host: requiredString }),
});

/** Maps a validated registry push to the image a release deploys; both release triggers use it. */
export function toImagePush(push: z.output<typeof registryPush>) {
  const { mediaType, digest, repository, tag } = push.target;
  return {
    /** The registry's id for the event: the webhook's `id`, the Event Grid event's `data.id`. */
    id: push.id,
    timestamp: push.timestamp,
    // Host names are case-insensitive, and targets name their registry in lowercase.
    registry: push.request.host.toLowerCase(),
    repository,
    // An empty tag names nothing a tag policy could match, so it counts as no tag.
    ...(tag ? { tag } : {}),
    digest,
    mediaType,
  };
}

/** An image pushed to a registry: what starts a release, whichever route reported it. */
export type ImagePush = ReturnType<typeof toImagePush>;

/**
 * Whether any target follows a repository. `registry` is the pushing registry's host in lowercase,
 * or undefined when the payload does not say, which then matches a repository of that name anywhere.
 */
export type RepositoryFollowed = (repository: string, registry: string | undefined) => boolean;

// Read loosely: only the repository and, when it is there, the registry host, whatever the rest holds.
const pushAddress = z.object({
  target: z.object({ repository: z.string().min(1) }),
  request: z
    .object({ host: z.string().min(1) })
    .optional()
    .catch(undefined),
});

/**
 * Why a registry push may be acknowledged unread: it names a repository no target follows. A
 * registry that sends a shape Shepherd does not know, for a repository Shepherd does not care about,
 * must not get 400s and retries. Undefined when a target may follow it (or the payload names no
 * repository): then the payload is validated in full.
 */
export function unfollowedPush(data: unknown, follows: RepositoryFollowed): string | undefined {
  const address = pushAddress.safeParse(data);
  if (!address.success) return undefined;
  const registry = address.data.request?.host.toLowerCase();
  const { repository } = address.data.target;
  if (follows(repository, registry)) return undefined;
  return `no target follows ${registry === undefined ? `a repository named ${repository}` : `${registry}/${repository}`}`;
}
