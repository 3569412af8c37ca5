import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { PgCommand } from './postgresCommands';
import { redactSecrets } from './postgresSecrets';
import { PostgresToolError } from './postgresToolError';

/** A running pg_dump or pg_restore. */
export interface RunningPgProgram {
  stdin: Writable | null;
  stdout: Readable | null;
  /**
   * Settles once the program has exited and its output is closed: resolves on exit code 0, rejects
   * with a PostgresToolError carrying the end of its stderr, redacted, otherwise.
   */
  exited: Promise<void>;
  /** Ends the program (SIGTERM), e.g. when what it writes to can no longer take it. */
  stop(): void;
  /** Whether `stop` ended it, rather than its own failure. */
  readonly stopped: boolean;
}

/** The most of a program's stderr kept for its failure reason; the end says what went wrong. */
const stderrTailChars = 4000;

/**
 * Starts `program` with `command`'s arguments and environment (and nothing of this process's).
 * `secrets` are removed from whatever of its stderr ends up in an error.
 */
export function startPgProgram(
  program: string,
  command: PgCommand,
  options: { operation: string; stdin: 'pipe' | 'ignore'; stdout: 'pipe' | 'ignore'; secrets: string[] },
): RunningPgProgram {
  const child = spawn(program, command.args, {
    env: command.env,
    stdio: [options.stdin, options.stdout, 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-stderrTailChars);
  });
  let stopped = false;
  const exited = new Promise<void>((resolve, reject) => {
    child.once('error', (err) =>
      reject(new PostgresToolError(options.operation, redactSecrets(err.message, options.secrets))),
    );
    child.once('close', (code, signal) => {
      if (code === 0) {
        resolve();
        return;
      }
      const how = signal === null ? `exit code ${String(code)}` : `signal ${signal}`;
      const said = stderr.trim().replace(/\s*\n\s*/g, '; ');
      const reason = said === '' ? `it ended with ${how}` : `${said} (${how})`;
      reject(new PostgresToolError(options.operation, redactSecrets(reason, options.secrets)));
    });
  });
  // Whoever awaits `exited` sees the failure; this keeps an unawaited one from ending the process.
  exited.catch(() => undefined);
  return {
    stdin: child.stdin,
    stdout: child.stdout,
    exited,
    stop: () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      stopped = true;
      child.kill('SIGTERM');
    },
    get stopped() {
      return stopped;
    },
  };
}
