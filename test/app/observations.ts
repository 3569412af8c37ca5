/** What the test app's functions saw; tests read it back over HTTP from `GET /api/observations`. */
export interface Observation {
  kind: string;
  value: unknown;
}

export const observations: Observation[] = [];

export function observe(kind: string, value: unknown): void {
  observations.push({ kind, value });
}
