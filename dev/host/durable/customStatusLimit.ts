import type { FailureDetails } from './history';

/** `MaxCustomStatusPayloadSizeInKB` of the Durable Functions extension's `SetCustomStatus`. */
const maxCustomStatusKb = 16;

/**
 * Why Azure would refuse `customStatus`, or undefined when it fits. The extension serializes the custom
 * status to JSON and fails the orchestration when its UTF-16 size, in whole KB rounded down, is over 16
 * (`DurableOrchestrationContext.SetCustomStatus` and `MessagePayloadDataConverter.Serialize` in
 * Azure/azure-functions-durable-extension); the message is the extension's own.
 */
export function customStatusTooLarge(customStatus: unknown): FailureDetails | undefined {
  const json = JSON.stringify(customStatus) as string | undefined;
  if (json === undefined) return undefined;
  // JavaScript strings are UTF-16 already: two bytes a code unit.
  const sizeKb = Math.floor((json.length * 2) / 1024);
  if (sizeKb <= maxCustomStatusKb) return undefined;
  return {
    ErrorType: 'System.ArgumentException',
    ErrorMessage:
      `The UTF-16 size of the JSON-serialized payload must not exceed ${String(maxCustomStatusKb)} KB. ` +
      `The current payload size is ${sizeKb.toLocaleString('en-US')} KB.`,
  };
}
