import { UnexpectedAnswer } from './answerShape';
import { helpText, readCommandLine } from './commandLine';
import { connectionOf } from './connection';
import { exitCodes } from './exitCodes';
import { problemText } from './problemText';
import { ApiProblem, ShepherdApi, Unreachable } from './shepherdApi';
import { UsageError } from './usageError';

/** The streams the command line writes to. */
export interface CliStreams {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: (text: string) => void;
}

/**
 * Runs one command line and answers its exit code. Every failure it knows is said in one or a few
 * lines on stderr (Shepherd's problem detail, where it tried to connect, what to type instead);
 * never a stack trace, never the key.
 */
export async function runCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  streams: CliStreams,
): Promise<number> {
  const { stdout, stderr } = streams;
  try {
    const request = readCommandLine(argv);
    if (request.help) {
      stdout.write(helpText());
      return exitCodes.ok;
    }
    const api = new ShepherdApi(connectionOf(request, env));
    return await request.command.run(api, {
      args: request.args,
      options: request.options,
      json: request.json,
      out: { write: (text) => stdout.write(text), isTTY: stdout.isTTY === true, columns: stdout.columns },
    });
  } catch (err) {
    if (err instanceof UsageError) {
      stderr(`shepherd: ${err.message}\nRun shepherd --help for every command.\n`);
      return exitCodes.usage;
    }
    if (err instanceof ApiProblem) {
      stderr(problemText(err));
      return exitCodes.requestFailed;
    }
    if (err instanceof Unreachable || err instanceof UnexpectedAnswer) {
      stderr(`shepherd: ${err.message}\n`);
      return exitCodes.requestFailed;
    }
    // Not one of its own: said in a line, as every other failure is.
    stderr(`shepherd: ${err instanceof Error ? err.message : String(err)}\n`);
    return exitCodes.requestFailed;
  }
}
