/** What a slot answered to one request, redirects not followed. */
export type SlotAnswer =
  { answered: true; status: number; redirectTo: string | undefined } | { answered: false; error: string };

/** How long one warm-up or smoke request may take. */
const requestTimeoutMs = 10_000;

/**
 * One GET of `path` on the slot's own host name. A redirect is not followed (fetch would, by
 * default): a slot that sends its callers to a login page has not answered as a healthy app does,
 * so the check sees the 3xx and where it points.
 */
export async function askSlot(host: string, path: string): Promise<SlotAnswer> {
  try {
    const url = new URL(`https://${host}${path}`);
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(requestTimeoutMs) });
    await res.arrayBuffer();
    return { answered: true, status: res.status, redirectTo: redirectTarget(url, res) };
  } catch (err) {
    return { answered: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** What the answer was, for a check's detail: `/health answered 302 redirecting to /login`. */
export function describeAnswer(path: string, answer: SlotAnswer): string {
  if (!answer.answered) return `${path} did not answer: ${answer.error}`;
  const redirect = answer.redirectTo === undefined ? '' : ` redirecting to ${answer.redirectTo}`;
  return `${path} answered ${answer.status}${redirect}`;
}

/**
 * Where a 3xx points, without its query or fragment (a login redirect's query carries state and
 * nonces): the path when it stays on the slot's host, else the origin and path.
 */
function redirectTarget(from: URL, res: Response): string | undefined {
  const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
  if (location === null) return undefined;
  if (!URL.canParse(location, from)) return 'an unreadable location';
  const to = new URL(location, from);
  return to.origin === from.origin ? to.pathname : `${to.origin}${to.pathname}`;
}
