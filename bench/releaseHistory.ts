import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The durable history of one default canary release with bake, measured in a process of its own
 * (`releaseHistoryChild`): the replay registers the release's orchestrations there, which a local
 * host started by another benchmark in this process has registered already.
 */
export async function releaseHistory(): Promise<Record<string, number>> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, 'releaseHistoryChild.js')]);
  return JSON.parse(stdout) as Record<string, number>;
}
