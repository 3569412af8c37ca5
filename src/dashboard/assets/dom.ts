/** What an element may hold: nodes and text (always as text, never parsed as HTML). */
export type Child = Node | string | null | undefined | false;

/** An element with `className` and `dataset` set, holding `children`. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; title?: string; data?: Record<string, string> } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className !== undefined) element.className = props.className;
  if (props.title !== undefined) element.title = props.title;
  for (const [name, value] of Object.entries(props.data ?? {})) element.dataset[name] = value;
  for (const child of children)
    if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

/** A button that runs `onClick`. */
export function button(
  label: string,
  onClick: () => void,
  data: Record<string, string> = {},
): HTMLButtonElement {
  const b = el('button', { data }, label);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

/** A table with a heading row, or `empty` in its place when there are no rows. */
export function table(headings: string[], rows: Child[][], empty: string): HTMLElement {
  if (rows.length === 0) return el('p', { className: 'empty' }, empty);
  return el(
    'table',
    {},
    el('thead', {}, el('tr', {}, ...headings.map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((c) => el('td', {}, c))))),
  );
}

/** The element with `id`, which the page must have. */
export function byId(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`The page has no #${id}.`);
  return found;
}

/** An image reference as a person reads it: repository and tag, the registry and digest in its tooltip. */
export function imageText(image: string | null | undefined): Child {
  if (image === undefined) return null;
  if (image === null || image === '') return el('span', { className: 'none' }, 'no image');
  const withoutDigest = image.split('@')[0] ?? image;
  const slash = withoutDigest.indexOf('/');
  // The first part names a registry when it looks like a host (a dot or a port), as Docker reads it.
  const registry = slash > 0 ? withoutDigest.slice(0, slash) : '';
  const short = /[.:]/.test(registry) ? withoutDigest.slice(slash + 1) : withoutDigest;
  return el('span', { className: 'image', title: image }, short);
}

/** A time as the reader's locale writes it, with the ISO time in its tooltip. */
export function timeText(iso: string): HTMLElement {
  const shown = new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  return el('time', { title: iso }, shown);
}

/** A rate (0–1) as a percentage. */
export function percentText(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '–' : `${(rate * 100).toFixed(2)}%`;
}
