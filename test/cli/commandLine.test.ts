import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { helpText, readCommandLine } from '../../src/cli/commandLine';
import { commands } from '../../src/cli/commands';
import { UsageError } from '../../src/cli/usageError';

describe('readCommandLine', () => {
  it('reads a command, its argument by name, its options, --json and the connection flags', () => {
    const request = readCommandLine([
      'freeze',
      'staging',
      '--reason',
      'load test',
      '--until',
      '2030-01-01T00:00:00Z',
      '--json',
      '--url',
      'http://x',
      '--key',
      'k',
    ]);
    assert.ok(!request.help);
    assert.deepEqual(
      [request.name, request.args, request.options, request.json, request.url, request.key],
      [
        'freeze',
        { environment: 'staging' },
        { reason: 'load test', until: '2030-01-01T00:00:00Z' },
        true,
        'http://x',
        'k',
      ],
    );
  });

  it('answers help for --help, help, or nothing', () => {
    for (const argv of [['--help'], ['-h'], ['help'], [], ['targets', '--help']])
      assert.deepEqual(readCommandLine(argv), { help: true });
  });

  const refused: [string, string[], RegExp][] = [
    ['an unknown command', ['deploy'], /^There is no command deploy\.$/],
    ['a missing argument', ['status'], /^Usage: shepherd status <release>/],
    ['an argument too many', ['targets', 'web'], /^Usage: shepherd targets$/],
    ['an option the command does not take', ['approve', 'r1', '--until', 'x'], /^approve takes no --until\./],
    ['a rollback without a reason', ['rollback', 'web'], /^rollback needs --reason\./],
    ['an empty reason where one is needed', ['freeze', 'prod', '--reason', ' '], /^freeze needs --reason\./],
    [
      'an interval that is not a positive number',
      ['status', 'r1', '--interval', '0'],
      /^--interval is a number of seconds above 0/,
    ],
    ['an unknown option', ['targets', '--verbose'], /Unknown option '--verbose'/],
    ['an option without its value', ['approve', 'r1', '--reason'], /--reason/],
  ];
  for (const [rule, argv, message] of refused)
    it(`refuses ${rule}`, () =>
      assert.throws(
        () => readCommandLine(argv),
        (err) => err instanceof UsageError && message.test(err.message),
      ));
});

describe('helpText', () => {
  it('shows every command', () => {
    const help = helpText();
    for (const command of Object.values(commands))
      assert.ok(help.includes(`shepherd ${command.usage}\n`), command.usage);
  });
});
