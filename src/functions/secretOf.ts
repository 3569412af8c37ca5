import type { HttpResponseInit } from '@azure/functions';
import type { Config } from '../config';
import type { ManagedSecret } from '../secretSettings';
import { problemResponse } from './problem';

/** The managed secret a route names, or the 404 to answer. */
export function secretOf(
  config: Config,
  name: string | undefined,
): { secret: ManagedSecret } | { problem: HttpResponseInit } {
  const secret = config.secrets.find((s) => s.name === name);
  return secret
    ? { secret }
    : { problem: problemResponse(404, 'Not Found', `Shepherd looks after no secret ${name ?? ''}.`) };
}
