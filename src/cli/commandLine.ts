import { parseArgs } from 'node:util';
import { commands } from './commands';
import type { Command, CommandOption } from './commands';
import { defaultUrl } from './connection';
import { UsageError } from './usageError';

/** What the command line asks for: help, or one command with its arguments and options. */
export type Request =
  | { help: true }
  | {
      help: false;
      name: string;
      command: Command;
      args: Record<string, string>;
      options: Partial<Record<CommandOption, string>>;
      json: boolean;
      url: string | undefined;
      key: string | undefined;
    };

const optionSpecs = {
  url: { type: 'string' },
  key: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  reason: { type: 'string' },
  until: { type: 'string' },
  source: { type: 'string' },
  top: { type: 'string' },
  interval: { type: 'string' },
} as const;

/** Reads the command line (without `node` and the script); throws UsageError for one it cannot run. */
export function readCommandLine(argv: readonly string[]): Request {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: optionSpecs, allowPositionals: true, strict: true });
  } catch (err) {
    // parseArgs says what is wrong ("Unknown option '--x'") in words of its own.
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  const [name, ...rest] = positionals;
  if (values.help === true || name === undefined || name === 'help') return { help: true };
  const command = commands[name];
  if (command === undefined) throw new UsageError(`There is no command ${name}.`);
  if (rest.length !== command.args.length) throw new UsageError(`Usage: shepherd ${command.usage}`);
  const options: Partial<Record<CommandOption, string>> = {};
  for (const option of ['reason', 'until', 'source', 'top', 'interval'] as const) {
    const value = values[option];
    if (value === undefined) continue;
    if (!command.options.includes(option))
      throw new UsageError(`${name} takes no --${option}. Usage: shepherd ${command.usage}`);
    options[option] = value;
  }
  for (const option of command.required ?? [])
    if ((options[option]?.trim() ?? '') === '')
      throw new UsageError(`${name} needs --${option}. Usage: shepherd ${command.usage}`);
  if (options.interval !== undefined && !(Number(options.interval) > 0))
    throw new UsageError('--interval is a number of seconds above 0, e.g. 2 or 0.5.');
  return {
    help: false,
    name,
    command,
    args: Object.fromEntries(command.args.map((arg, i) => [arg, rest[i] ?? ''])),
    options,
    json: values.json === true,
    url: values.url,
    key: values.key,
  };
}

/** `shepherd --help`: every command, and where the URL and key come from. */
export function helpText(): string {
  return [
    'shepherd: releases, rollbacks, freezes, backups and secrets of Shepherd, over its HTTP API.',
    '',
    'Usage: shepherd <command> [arguments] [--json] [--url URL] [--key KEY]',
    '',
    'Commands:',
    ...Object.values(commands).map((c) => `  shepherd ${c.usage}\n      ${c.summary}`),
    '',
    'Options:',
    `  --url URL   Shepherd's address (or SHEPHERD_URL; default ${defaultUrl})`,
    '  --key KEY   a function key (or SHEPHERD_KEY)',
    "  --json      print Shepherd's JSON as it came, for scripts",
    '',
    'Exit codes: 0 done (for status: the release succeeded), 1 the followed release did not succeed,',
    '2 a command line that cannot run, 3 Shepherd refused the request or could not be reached.',
    '',
  ].join('\n');
}
