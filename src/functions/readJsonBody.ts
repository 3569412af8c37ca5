import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { problemResponse } from './problem';

/** The request's JSON body, or the 400 to answer when it is not JSON (`expected` says what it should be). */
export async function readJsonBody(
  req: HttpRequest,
  expected: string,
): Promise<{ body: unknown } | { problem: HttpResponseInit }> {
  try {
    return { body: await req.json() };
  } catch {
    return { problem: problemResponse(400, 'Bad Request', `The body must be JSON: ${expected}.`) };
  }
}
