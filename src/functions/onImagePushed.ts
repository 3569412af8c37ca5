import type { EventGridHandler } from '@azure/functions';
import * as df from 'durable-functions';
import type { Config } from '../config';
import { parseImagePushedEvent } from './payloads/imagePushedEvent';
import { startReleasesForPush } from './startReleases';

export const onImagePushedFunction = 'onImagePushed';

/** Event Grid `Microsoft.ContainerRegistry.ImagePushed`: the same releases, by the same rules, as the webhook. */
export function onImagePushed(config: Config): EventGridHandler {
  return async (event, context) => {
    const parsed = parseImagePushedEvent(event);
    if (!parsed.ok) {
      // Retrying will not make a malformed event valid, so it is logged and acknowledged.
      context.warn(
        `ignored an ImagePushed event that is not valid: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      );
      return;
    }
    const releases = await startReleasesForPush(df.getClient(context), config, parsed.value);
    context.log(
      `push of ${parsed.value.repository}: ${releases.map((r) => `${r.target} ${r.outcome}`).join(', ') || 'no target follows it'}`,
    );
  };
}
