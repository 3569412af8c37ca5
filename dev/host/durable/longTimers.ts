/**
 * Durable timers as the Azure Storage provider of the Durable Functions extension keeps them: a timer
 * due more than six days away (`MaximumDelayTime`) is carried out as a chain of timers of at most three
 * days each (`LongRunningTimerIntervalLength`), one after the other, each with its own task id
 * (`AzureStorageDurabilityProvider.cs` and `DurableOrchestrationContext.CreateTimer` in
 * Azure/azure-functions-durable-extension). The orchestrator library, offered replay schema V3, sends one
 * `CreateTimer` action with the final time and expects those sub-timers' events.
 */
const dayMs = 24 * 60 * 60_000;

/** Azure Storage's `MaximumDelayTime`: the longest timer it keeps as one. */
export const maximumShortTimerMs = 6 * dayMs;
/** Azure Storage's `LongRunningTimerIntervalLength`: the step of a longer timer's chain. */
export const longRunningTimerIntervalMs = 3 * dayMs;

/** The two limits as the orchestration trigger payload carries them (.NET `TimeSpan` text). */
export const timerLimitsPayload = {
  maximumShortTimerDuration: '6.00:00:00',
  longRunningTimerIntervalDuration: '3.00:00:00',
};

/** Whether a timer due at `fireAt`, created at `now`, is kept as a chain of shorter ones. */
export function isLongTimer(fireAt: number, now: number): boolean {
  return fireAt - now > maximumShortTimerMs;
}

/** When the first timer of the chain for a timer due at `fireAt` fires, if created at `now`. */
export function firstSubTimerAt(fireAt: number, now: number): number {
  return isLongTimer(fireAt, now) ? now + longRunningTimerIntervalMs : fireAt;
}

/**
 * When the next timer of the chain fires, now that one fired at `now`; undefined when the timer due at
 * `fireAt` is over. The rest runs in whole steps until less than one step remains.
 */
export function nextSubTimerAt(fireAt: number, now: number): number | undefined {
  const remaining = fireAt - now;
  if (remaining <= 0) return undefined;
  return remaining < longRunningTimerIntervalMs ? fireAt : now + longRunningTimerIntervalMs;
}
