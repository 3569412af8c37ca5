import type { HttpResponseInit } from '@azure/functions';
import type { Config, Target } from '../config';
import { problemResponse } from './problem';

/** The target a route names, or the 404 to answer. */
export function targetOf(
  config: Config,
  name: string | undefined,
): { target: Target } | { problem: HttpResponseInit } {
  const target = config.targets.find((t) => t.name === name);
  return target
    ? { target }
    : { problem: problemResponse(404, 'Not Found', `There is no target ${name ?? ''}.`) };
}
