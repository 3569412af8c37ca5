/** Names of every function this app registered, in order; the health report lists them. */
export const registeredFunctions: string[] = [];

/**
 * Wraps a registration call (`app.http`, `df.app.orchestration`, …) so that what it registers is
 * listed in `registeredFunctions`.
 */
export function tracked<A extends unknown[], R>(
  register: (name: string, ...args: A) => R,
): (name: string, ...args: A) => R {
  return (name, ...args) => {
    registeredFunctions.push(name);
    return register(name, ...args);
  };
}
