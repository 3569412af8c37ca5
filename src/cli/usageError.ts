/** A command line the CLI cannot run: said in words, with no request made. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
