/** One resource of a compiled ARM template, as much of it as the infra tests read. */
export interface ArmResource {
  type: string;
  /** Set on a resource the template only refers to (Bicep's `existing`): it deploys nothing. */
  existing?: boolean;
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

/** Every resource of `type` that `template` and its nested deployments deploy (not those they only refer to). */
export function resourcesOfType(template: ArmTemplate, type: string): ArmResource[] {
  return templatesIn(template).flatMap((t) =>
    Object.values(t.resources).filter((r) => r.type === type && r.existing !== true),
  );
}
