// What the page reads of Shepherd's API: the parts it shows, as the README's function table describes
// them. Every field the page does not need is left out; any field may be missing from an answer.

/** The thresholds a target's canary windows are judged by (`GET /api/targets`). */
export interface GatesView {
  max5xxRate: number;
  max5xxRateOverProduction: number;
  maxAverageResponseMs: number;
  maxResponseTimeRatioToProduction: number;
}

export interface FreezeView {
  holds: string;
  source: string;
  reason: string;
  until?: string;
}

export interface TargetView {
  name: string;
  environment: string;
  strategy: string;
  approvalRequired: boolean;
  gates?: GatesView;
  production?: string | null;
  slot?: string | null;
  knownGood?: { latest?: string; before?: string };
  freezes?: FreezeView[];
  release?: { id: string; phase: string; trafficPercent: number; image: string } | null;
  unknown?: Record<string, string>;
}

/** One side of a judged window: the slot's numbers, or production's. */
export interface SideView {
  requests: number;
  errorRate?: number | null;
  averageResponseMs?: number | null;
}

export interface WindowView {
  step: number;
  trafficPercent: number;
  verdict: string;
  reasons?: string[];
  slot: SideView;
  production?: SideView | null;
  comparison?: { baseline?: { requests: number; errorRate: number }; responseTimeRatio?: number };
}

/** `GET /api/releases/{id}`. */
export interface ReleaseView {
  id: string;
  runtimeStatus: string;
  kind?: string;
  target?: string;
  image?: string;
  phase?: string;
  trafficPercent?: number;
  windows?: WindowView[];
  windowCount?: number;
  warmUp?: { detail: string };
  approval?: { approved: boolean; by: string; reason?: string };
  outcome?: string;
  reason?: string;
}

/** One secret of `GET /api/secrets`: never its value, which the API does not have to give. */
export interface SecretView {
  name: string;
  kind: string;
  consumers: string[];
  current?: { version: string; ageDays: number; expiresOn: string | null } | null;
  nextRotation?: string | null;
  problem?: string;
  lastRotation?: { outcome?: string; startedAt: string } | null;
}

/** One entry of `GET /api/audit`. */
export interface AuditEntryView {
  at: string;
  action: string;
  subject: { kind: string; name: string };
  by: { kind: string; name?: string; rule?: string; image?: string };
  outcome: string;
  detail: string;
}
