import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { approvalEvent } from '../orchestrations/releaseModel';
import type { ApprovalAnswer, ReleaseStatus } from '../orchestrations/releaseModel';
import { reasonText } from './payloads/fields';
import { parseWith } from './payloads/parseResult';
import { problemResponse } from './problem';
import { callerOf } from './caller';

const body = z.object({ reason: reasonText.optional() }).strict();

/**
 * `POST /api/releases/{id}/approve` or `/reject`, optionally with `{ "reason": "…" }`: answers a
 * release that waits for a person before traffic moves. The answer and who gave it (the Easy Auth
 * principal when App Service authentication is on, see `callerOf`) go into the release's status.
 */
export function answerApproval(approved: boolean, easyAuthEnabled: boolean): HttpHandler {
  return async (req, context): Promise<HttpResponseInit> => {
    const id = req.params.id ?? '';
    // The body is optional: an empty one approves or rejects without a reason.
    const text = await req.text();
    let given: unknown = {};
    try {
      if (text.trim() !== '') given = JSON.parse(text);
    } catch {
      return problemResponse(400, 'Bad Request', 'The body must be JSON: {"reason": "…"} or nothing.');
    }
    const parsed = parseWith(body, given);
    if (!parsed.ok)
      return problemResponse(400, 'Bad Request', 'The body may only hold a reason: {"reason": "…"}.', {
        errors: parsed.problems,
      });
    const { reason } = parsed.value;
    const client = df.getClient(context);
    const status = await client.getStatus(id).catch(() => undefined);
    if (!status) return problemResponse(404, 'Not Found', `There is no release ${id}.`);
    const phase = (status.customStatus as Partial<ReleaseStatus> | null)?.phase;
    if (phase !== 'awaitingApproval')
      return problemResponse(
        409,
        'Conflict',
        `Release ${id} is not waiting for approval (it is ${phase ?? status.runtimeStatus}).`,
      );
    const answer: ApprovalAnswer = {
      approved,
      by: callerOf(req.headers, easyAuthEnabled),
      ...(reason === undefined ? {} : { reason }),
    };
    await client.raiseEvent(id, approvalEvent, answer);
    context.log(`release ${id} ${approved ? 'approved' : 'rejected'} by ${answer.by}`);
    return { status: 202, jsonBody: { [approved ? 'approved' : 'rejected']: id } };
  };
}
