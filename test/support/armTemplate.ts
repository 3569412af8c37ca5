/** One resource of a compiled ARM template, as much of it as the infra tests read. */
export interface ArmResource {
  type: string;
  properties?: Record<string, unknown>;
}

/** A compiled ARM template: resources as an array, or keyed by symbolic name (language version 2.0). */
export interface ArmTemplate {
  resources: ArmResource[] | Record<string, ArmResource>;
  outputs?: Record<string, { type: string; value: unknown }>;
  variables?: Record<string, unknown>;
}

/** Every template in `template`: itself, then each nested deployment's, depth first. */
export function templatesIn(template: ArmTemplate): ArmTemplate[] {
  const nested = Object.values(template.resources)
    .filter((r) => r.type === 'Microsoft.Resources/deployments')
    .flatMap((r) => templatesIn(r.properties?.template as ArmTemplate));
  return [template, ...nested];
}

/** Every resource of `type` in `template` and its nested deployments. */
export function resourcesOfType(template: ArmTemplate, type: string): ArmResource[] {
  return templatesIn(template).flatMap((t) => Object.values(t.resources).filter((r) => r.type === type));
}
