import type { HttpHandler } from '@azure/functions';
import type { Config } from '../config';

/** What anyone may learn from `GET /api/health`: that Shepherd runs, and which version. */
export interface Liveness {
  status: 'ok';
  version: string;
}

/** What `GET /api/health/details` adds for a key holder: what runs, and for which targets. */
export interface HealthReport extends Liveness {
  functions: string[];
  config: {
    taskHub: string;
    targetsFile: string;
    targets: { name: string; environment: string; site: string; slot: string; repository: string }[];
  };
}

/** Liveness only: the targets, sites and repositories Shepherd looks after are no one else's business. */
export function liveness(config: Config): Liveness {
  return { status: 'ok', version: config.version };
}

/** The details: registered functions and targets. Settings values stay out of it. */
export function healthReport(config: Config, functions: readonly string[]): HealthReport {
  return {
    ...liveness(config),
    functions: [...functions].sort(),
    config: {
      taskHub: config.taskHub,
      targetsFile: config.targetsFile,
      targets: config.targets.map((t) => ({
        name: t.name,
        environment: t.environment,
        site: t.site.name,
        slot: t.site.slot,
        repository: `${t.registry.loginServer}/${t.registry.repository}`,
      })),
    },
  };
}

/** Answers `report()` as JSON that no cache keeps. */
export function healthCheck(report: () => Liveness): HttpHandler {
  return () => Promise.resolve({ status: 200, jsonBody: report(), headers: { 'cache-control': 'no-store' } });
}
