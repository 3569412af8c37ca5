/** Names of every function this app registered, in order; the health report lists them. */
export const registeredFunctions: string[] = [];
