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
  $schema?: string;
  parameters?: Record<string, unknown>;
  outputs?: Record<string, { type: string; value: unknown }>;
  variables?: Record<string, unknown>;
}

/** The actions of the custom role whose name starts with `roleName`, as the compiled template lists them. */
export function customRoleActions(template: ArmTemplate, roleName: string): string[] {
  const role = resourcesOfType(template, 'Microsoft.Authorization/roleDefinitions').find((r) =>
    String(r.properties?.roleName).startsWith(`[format('${roleName}`),
  );
  if (role === undefined) throw new Error(`No custom role named ${roleName} in the template.`);
  const permissions = role.properties?.permissions as { actions: string }[];
  const variable = /^\[variables\('(\w+)'\)\]$/.exec(permissions[0]?.actions ?? '')?.[1] ?? '';
  const actions = template.variables?.[variable];
  if (!Array.isArray(actions)) throw new Error(`${roleName} does not list its actions in a variable.`);
  return actions as string[];
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
