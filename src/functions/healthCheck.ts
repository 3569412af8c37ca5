import type { HttpHandler } from '@azure/functions';
import type { Config } from '../config';

export const healthCheckFunction = 'healthCheck';

export interface HealthReport {
  status: 'ok';
  version: string;
  functions: string[];
  config: {
    taskHub: string;
    targetsFile: string;
    targets: { name: string; environment: string; site: string; slot: string; repository: string }[];
  };
}

/** What `GET /api/health` says: what runs and with which targets. Settings values stay out of it. */
export function healthReport(config: Config, functions: readonly string[]): HealthReport {
  return {
    status: 'ok',
    version: config.version,
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

export function healthCheck(report: () => HealthReport): HttpHandler {
  return () => Promise.resolve({ status: 200, jsonBody: report(), headers: { 'cache-control': 'no-store' } });
}
