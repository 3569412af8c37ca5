/** One log line of the local host: stdout, with the function and invocation it came from. */
export interface LogEntry {
  level: string;
  category: string;
  message: string;
  functionName?: string;
  invocationId?: string;
}

const quietLevels = new Set(['trace', 'debug', 'none']);

/** Where log lines go; tests may replace it to read what functions logged. */
export let logSink: (line: string, entry: LogEntry) => void = (line) => {
  process.stdout.write(`${line}\n`);
};

export function setLogSink(sink: typeof logSink): void {
  logSink = sink;
}

export function log(entry: LogEntry): void {
  // System chatter of the library below warning would drown what the app says.
  if (quietLevels.has(entry.level) || (entry.category === 'system' && entry.level === 'information')) return;
  const where = entry.functionName
    ? ` [${entry.functionName}${entry.invocationId ? ` ${entry.invocationId}` : ''}]`
    : '';
  logSink(`${new Date().toISOString()} ${entry.level.toUpperCase()}${where} ${entry.message}`, entry);
}
