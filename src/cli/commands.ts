import { approvalMessage, freezeMessage, rollbackMessage, unfreezeMessage } from './actionMessages';
import { formatBackups } from './backupsTable';
import { exitCodes } from './exitCodes';
import { followRelease } from './followRelease';
import type { ProgressOutput } from './followRelease';
import { formatReleases } from './releasesTable';
import { hasSucceeded } from './releaseView';
import { formatSecrets } from './secretsTable';
import type { Answer, ShepherdApi } from './shepherdApi';
import { formatTargets } from './targetsTable';

/** The options a command may take besides `--url`, `--key` and `--json`. */
export type CommandOption = 'reason' | 'until' | 'source' | 'top' | 'interval';

/** One command as its run sees it: its arguments by name, its options, and where to print. */
export interface Invocation {
  args: Record<string, string>;
  options: Partial<Record<CommandOption, string>>;
  json: boolean;
  out: ProgressOutput;
}

/** A command: how it is written, what it takes, and what it does; it answers the exit code. */
export interface Command {
  usage: string;
  summary: string;
  /** Its arguments, in order. */
  args: readonly string[];
  options: readonly CommandOption[];
  /** Options it cannot do without: the request would be refused. */
  required?: readonly CommandOption[];
  run(api: ShepherdApi, call: Invocation): Promise<number>;
}

const path = encodeURIComponent;

/** Prints an answer: as it came with `--json`, else as `format` says it for people. */
function print(call: Invocation, answer: Answer, format: (body: unknown) => string): number {
  call.out.write(call.json ? `${answer.text}\n` : format(answer.body));
  return exitCodes.ok;
}

/** How long `status` waits between two looks at a release, unless `--interval` says. */
const defaultIntervalSeconds = 2;

/** Every command, by name. */
export const commands: Record<string, Command> = {
  targets: {
    usage: 'targets',
    summary: 'every target: what production and the slot run, known-good image, freezes, release in progress',
    args: [],
    options: [],
    run: async (api, call) => print(call, await api.get('targets'), formatTargets),
  },
  releases: {
    usage: 'releases <target> [--top N]',
    summary: "the target's releases and rollbacks, newest first (20, or up to 100 with --top)",
    args: ['target'],
    options: ['top'],
    run: async (api, call) => {
      const top = call.options.top === undefined ? '' : `?top=${path(call.options.top)}`;
      return print(
        call,
        await api.get(`targets/${path(call.args.target ?? '')}/releases${top}`),
        formatReleases,
      );
    },
  },
  status: {
    usage: 'status <release> [--interval SECONDS]',
    summary: 'follows a release live until it ends; exit code 0 when it succeeded, 1 otherwise',
    args: ['release'],
    options: ['interval'],
    run: async (api, call) => {
      const seconds = Number(call.options.interval ?? defaultIntervalSeconds);
      const { view, answer } = await followRelease(
        api,
        call.args.release ?? '',
        seconds * 1000,
        call.json ? undefined : call.out,
      );
      if (call.json) call.out.write(`${answer.text}\n`);
      return hasSucceeded(view) ? exitCodes.ok : exitCodes.releaseDidNotSucceed;
    },
  },
  approve: {
    usage: 'approve <release> [--reason TEXT]',
    summary: 'lets a release that awaits approval move traffic',
    args: ['release'],
    options: ['reason'],
    run: async (api, call) => answerApproval(api, call, 'approve'),
  },
  reject: {
    usage: 'reject <release> [--reason TEXT]',
    summary: 'ends a release that awaits approval, moving no traffic',
    args: ['release'],
    options: ['reason'],
    run: async (api, call) => answerApproval(api, call, 'reject'),
  },
  rollback: {
    usage: 'rollback <target> --reason TEXT',
    summary: "stops the target's running release, or puts the last known-good image back",
    args: ['target'],
    options: ['reason'],
    required: ['reason'],
    run: async (api, call) => {
      const target = call.args.target ?? '';
      const answer = await api.send('POST', `targets/${path(target)}/rollback`, {
        reason: call.options.reason,
      });
      return print(call, answer, (body) => rollbackMessage(target, body));
    },
  },
  freeze: {
    usage: 'freeze <environment> --reason TEXT [--until ISO-TIME]',
    summary: 'freezes releases to the environment (rollbacks still run)',
    args: ['environment'],
    options: ['reason', 'until'],
    required: ['reason'],
    run: async (api, call) => {
      const environment = call.args.environment ?? '';
      const { reason, until } = call.options;
      const answer = await api.send('PUT', `environments/${path(environment)}/freeze`, { reason, until });
      return print(call, answer, (body) => freezeMessage(environment, answer.status, body));
    },
  },
  unfreeze: {
    usage: 'unfreeze <environment> --reason TEXT [--source manual|budget|alert]',
    summary: "lifts the environment's freezes (of one source with --source)",
    args: ['environment'],
    options: ['reason', 'source'],
    required: ['reason'],
    run: async (api, call) => {
      const environment = call.args.environment ?? '';
      const { reason, source } = call.options;
      const answer = await api.send('DELETE', `environments/${path(environment)}/freeze`, { reason, source });
      return print(call, answer, (body) => unfreezeMessage(environment, body));
    },
  },
  backups: {
    usage: 'backups <target>',
    summary: "the target's database backups, newest first; only usable ones can be restored",
    args: ['target'],
    options: [],
    run: async (api, call) =>
      print(call, await api.get(`targets/${path(call.args.target ?? '')}/backups`), formatBackups),
  },
  secrets: {
    usage: 'secrets',
    summary: 'every managed secret: current version, age, expiry, next rotation (never a value)',
    args: [],
    options: [],
    run: async (api, call) => print(call, await api.get('secrets'), formatSecrets),
  },
};

async function answerApproval(
  api: ShepherdApi,
  call: Invocation,
  answer: 'approve' | 'reject',
): Promise<number> {
  const { reason } = call.options;
  const sent = await api.send(
    'POST',
    `releases/${path(call.args.release ?? '')}/${answer}`,
    reason === undefined ? {} : { reason },
  );
  return print(call, sent, approvalMessage);
}
