import type { KnownReleases } from '../knownReleases';
import type { EventGridHandler } from '@azure/functions';
import * as df from 'durable-functions';
import type { FreezeStore } from '../azure/freezeStore';
import type { Config } from '../config';
import { parseImagePushedEvent } from './payloads/imagePushedEvent';
import { followedBy, startReleasesForPush } from './startReleases';

/**
 * Event Grid `Microsoft.ContainerRegistry.ImagePushed` (or the older `ImagePushed`): the same
 * releases, by the same rules, as the webhook.
 */
export function onImagePushed(config: Config, freezes: FreezeStore, known: KnownReleases): EventGridHandler {
  return async (event, context) => {
    const parsed = parseImagePushedEvent(event, followedBy(config));
    if (!parsed.ok) {
      // Retrying will not make a malformed event valid, so it is logged and acknowledged.
      context.warn(
        `ignored an ImagePushed event that is not valid: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      );
      return;
    }
    const push = parsed.value;
    if (push.kind === 'ignored') {
      context.log(`ignored an image push: ${push.reason}`);
      return;
    }
    const releases = await startReleasesForPush(df.getClient(context), config, freezes, push, known);
    context.log(
      `push of ${push.repository}:${push.tag ?? push.digest}: ${releases.map((r) => `${r.target} ${r.outcome}${r.outcome === 'ignored' ? ` (${r.reason})` : ''}`).join(', ')}`,
    );
  };
}
