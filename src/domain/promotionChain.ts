/** A target as the promotion chain sees it: its name, where it promotes to, and the image repository it follows. */
export interface ChainLink {
  name: string;
  promotesTo?: string | undefined;
  /** `loginServer/repository`, as the target follows it. */
  repository: string;
}

/** What is wrong with one target's `promotesTo`: the target's place in the list, and why. */
export interface ChainProblem {
  index: number;
  message: string;
}

/**
 * Every problem of the targets' `promotesTo`, so that start-up names them all: a name that is no
 * target, a target promoting to itself, to a target of another repository (a promotion releases the
 * very image the source released), to a target another target already promotes to (each target takes
 * its images from one place), and chains that come round to where they started.
 */
export function promotionProblems(links: readonly ChainLink[]): ChainProblem[] {
  const byName = new Map(links.map((link) => [link.name, link]));
  const sourceOf = new Map<string, string>();
  const problems: ChainProblem[] = [];
  links.forEach((link, index) => {
    const next = link.promotesTo;
    if (next === undefined) return;
    const target = byName.get(next);
    if (next === link.name) problems.push({ index, message: `"${next}" promotes to itself` });
    else if (target === undefined) problems.push({ index, message: `"${next}" is not a target` });
    else if (target.repository !== link.repository)
      problems.push({
        index,
        message: `"${next}" follows ${target.repository}, not ${link.repository}: a promotion releases the same image, so both must follow one repository`,
      });
    else if (sourceOf.has(next))
      problems.push({
        index,
        message: `"${next}" is promoted to from "${sourceOf.get(next) ?? ''}" already; a target takes its images from one target only`,
      });
    else sourceOf.set(next, link.name);
  });
  return [...problems, ...cycleProblems(links, byName)];
}

/** One problem per chain that comes back to a target it passed, on the first of its targets in the list. */
function cycleProblems(links: readonly ChainLink[], byName: ReadonlyMap<string, ChainLink>): ChainProblem[] {
  const reported = new Set<string>();
  const problems: ChainProblem[] = [];
  links.forEach((link, index) => {
    const path: string[] = [];
    let at: ChainLink | undefined = link;
    while (at !== undefined && !path.includes(at.name)) {
      path.push(at.name);
      at = at.promotesTo === undefined ? undefined : byName.get(at.promotesTo);
    }
    // Only the walk that starts on the circle reports it, and a target promoting to itself is reported above.
    if (at?.name !== link.name || path.length < 2 || path.some((name) => reported.has(name))) return;
    path.forEach((name) => reported.add(name));
    problems.push({
      index,
      message: `the promotion chain ${[...path, link.name].join(' → ')} goes round in a circle`,
    });
  });
  return problems;
}

/** The target that promotes to `name`, if any: the only way images reach it without a person. */
export function promotionSource(links: readonly ChainLink[], name: string): string | undefined {
  return links.find((link) => link.promotesTo === name)?.name;
}

/**
 * The promotion chains, each in the order an image goes through it: one per target that no target
 * promotes to, followed along `promotesTo`. A target that promotes nowhere and is promoted to from
 * nowhere is a chain of its own. Expects targets that passed `promotionProblems`.
 */
export function promotionChains(links: readonly ChainLink[]): string[][] {
  const byName = new Map(links.map((link) => [link.name, link]));
  const promotedTo = new Set(
    links.flatMap((link) => (link.promotesTo === undefined ? [] : [link.promotesTo])),
  );
  return links
    .filter((link) => !promotedTo.has(link.name))
    .map((first) => {
      const chain: string[] = [];
      for (let at: ChainLink | undefined = first; at !== undefined && !chain.includes(at.name);) {
        chain.push(at.name);
        at = at.promotesTo === undefined ? undefined : byName.get(at.promotesTo);
      }
      return chain;
    });
}
