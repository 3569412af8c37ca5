/**
 * Route templates as Azure Functions accepts them (ASP.NET Core style): literal segments, `{name}`,
 * optional `{name?}`, constrained `{name:int}` / `{name:regex(^a-z+$)}`, defaults `{name=x}` and a
 * trailing catch-all `{*rest}`. Literals match without regard to case, as in Azure.
 */
export interface CompiledRoute {
  template: string;
  match(path: string): Record<string, string> | undefined;
}

interface Parameter {
  name: string;
  optional: boolean;
  catchAll: boolean;
  defaultValue: string | undefined;
  constraints: ((value: string) => boolean)[];
}

type Segment = { literal: string } | { parameter: Parameter };

const constraintCheckers: Record<string, (arg: string | undefined) => (value: string) => boolean> = {
  int: () => (v) => /^-?\d+$/.test(v) && Math.abs(Number(v)) <= 2_147_483_648,
  long: () => (v) => /^-?\d+$/.test(v),
  bool: () => (v) => /^(true|false)$/i.test(v),
  alpha: () => (v) => /^[a-z]+$/i.test(v),
  guid: () => (v) => /^\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i.test(v),
  double: () => (v) => v.trim() !== '' && Number.isFinite(Number(v)),
  decimal: () => (v) => v.trim() !== '' && Number.isFinite(Number(v)),
  float: () => (v) => v.trim() !== '' && Number.isFinite(Number(v)),
  datetime: () => (v) => !Number.isNaN(Date.parse(v)),
  minlength: (a) => (v) => v.length >= Number(a),
  maxlength: (a) => (v) => v.length <= Number(a),
  length: (a) => {
    const [min, max] = (a ?? '').split(',').map(Number);
    return (v) => (max === undefined ? v.length === min : v.length >= (min ?? 0) && v.length <= max);
  },
  min: (a) => (v) => Number(v) >= Number(a),
  max: (a) => (v) => Number(v) <= Number(a),
  range: (a) => {
    const [min, max] = (a ?? '').split(',').map(Number);
    return (v) => Number(v) >= (min ?? -Infinity) && Number(v) <= (max ?? Infinity);
  },
  regex: (a) => {
    const re = new RegExp(a ?? '', 'i');
    return (v) => re.test(v);
  },
};

function parseParameter(body: string, template: string): Parameter {
  const catchAll = body.startsWith('*');
  let rest = catchAll ? body.slice(1) : body;
  let defaultValue: string | undefined;
  const eq = rest.indexOf('=');
  if (eq >= 0) {
    defaultValue = rest.slice(eq + 1);
    rest = rest.slice(0, eq);
  }
  const optional = rest.endsWith('?');
  if (optional) rest = rest.slice(0, -1);
  const [name, ...constraintTexts] = splitConstraints(rest);
  if (!name || !/^\w+$/.test(name))
    throw new Error(`Route template "${template}" has an invalid parameter "{${body}}".`);
  const constraints = constraintTexts.map((text) => {
    const open = text.indexOf('(');
    const kind = (open >= 0 ? text.slice(0, open) : text).toLowerCase();
    const arg = open >= 0 ? text.slice(open + 1, text.lastIndexOf(')')) : undefined;
    const checker = constraintCheckers[kind];
    if (!checker) throw new Error(`Route template "${template}" uses the unknown constraint "${kind}".`);
    return checker(arg);
  });
  return {
    name,
    optional: optional || defaultValue !== undefined || catchAll,
    catchAll,
    defaultValue,
    constraints,
  };
}

/** Splits `name:c1:c2(x:y)` on the colons that are not inside parentheses. */
function splitConstraints(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ':' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

export function compileRoute(template: string): CompiledRoute {
  const segments: Segment[] = template
    .replace(/^\/+|\/+$/g, '')
    .split('/')
    .filter((s) => s !== '')
    .map((raw) => {
      const m = /^\{(.+)\}$/.exec(raw);
      return m?.[1] ? { parameter: parseParameter(m[1], template) } : { literal: raw.toLowerCase() };
    });

  return {
    template,
    match(path: string) {
      const parts = path
        .replace(/^\/+|\/+$/g, '')
        .split('/')
        .filter((s) => s !== '');
      const params: Record<string, string> = {};
      for (let i = 0; i < segments.length; i++) {
        const segment = segments[i] as Segment;
        const part = parts[i];
        if ('literal' in segment) {
          if (part === undefined || decodeURIComponent(part).toLowerCase() !== segment.literal)
            return undefined;
          continue;
        }
        const p = segment.parameter;
        const value = p.catchAll
          ? parts.slice(i).map(decodeURIComponent).join('/')
          : part === undefined
            ? undefined
            : decodeURIComponent(part);
        if (value === undefined || value === '') {
          if (!p.optional) return undefined;
          if (p.defaultValue !== undefined) params[p.name] = p.defaultValue;
          continue;
        }
        if (!p.constraints.every((check) => check(value))) return undefined;
        params[p.name] = value;
        if (p.catchAll) return params;
      }
      return parts.length <= segments.length ? params : undefined;
    },
  };
}
