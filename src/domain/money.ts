/** An amount read from a currency-formatted string. */
export interface Money {
  amount: number;
  /** The ISO 4217 code the text names, when it names one without doubt (see {@link parseMoney}). */
  currency?: string;
  /** The currency sign or code as written (`$`, `US$`, `€`, `EUR`), also when it names no one currency. */
  symbol?: string;
}

// Signs that name one currency. `$`, `¥` and `kr` are shared by several currencies, so they name none:
// the payload's `Unit`, when sent, says which.
const currencyOfSign: Readonly<Record<string, string>> = {
  US$: 'USD',
  C$: 'CAD',
  CA$: 'CAD',
  A$: 'AUD',
  AU$: 'AUD',
  NZ$: 'NZD',
  HK$: 'HKD',
  S$: 'SGD',
  MX$: 'MXN',
  R$: 'BRL',
  'JP¥': 'JPY',
  'CN¥': 'CNY',
  '€': 'EUR',
  '£': 'GBP',
  '₹': 'INR',
  '₩': 'KRW',
  '₪': 'ILS',
  '₺': 'TRY',
  '₱': 'PHP',
  '₫': 'VND',
  '฿': 'THB',
  zł: 'PLN',
  Kč: 'CZK',
};
const ambiguousSigns = new Set(['$', '¥', '￥', 'kr']);

const isoCodes = new Set(Intl.supportedValuesOf('currency'));

/** What the number's grouping may be: a space (also no-break and narrow no-break), `'` or `’`. */
const spaces = /[\u00a0\u2009\u202f]/g;
const numberPart = /^\d[\d.,' ’]*$/;
const signPart = /^(?:[A-Z]{3}|[A-Z]{0,2}[$¥]|[^\d\s.,'’()+-]{1,2})$/u;

/**
 * Reads an amount written the way people and Azure write money, in any currency and locale:
 * `"$11,111.00"`, `"11111"`, `"€1.234,56"`, `"1.234,56 €"`, `"1 234,56 €"` (also with no-break or
 * narrow no-break spaces), `"EUR 1,234.56"`, `"CHF 1'234.50"`, `"¥1,000"`, `"₹1,23,456.00"`,
 * `"-$5.00"`, `"(5.00)"`.
 *
 * How the number is read:
 * - A space or an apostrophe (`'`, `’`) only groups digits.
 * - When both `.` and `,` appear, the last one to appear is the decimal separator and the other groups.
 * - When only one of them appears, more than once, it groups (`1,234,567`).
 * - When only one appears, once: it groups when exactly three digits follow it, the digits before it
 *   are not just zeros and no space or apostrophe already groups (`1,000` and `1.234` are thousands);
 *   otherwise it is the decimal separator (`0.800`, `12,5`, `1 234,567`).
 * - Groups are of three digits (`1,234,567`), or of two then three as Indian amounts are written
 *   (`1,23,456`); anything else is not clearly one number.
 * - A leading `-` or `−` (before or after the sign) or accounting parentheses, `(5.00)`, make it
 *   negative.
 *
 * The currency is an ISO 4217 code before or after the number (`EUR 5`, `5 CHF`), or a sign that names
 * one currency (`€`, `£`, `₹`, `US$`, `C$`, `A$`, `R$`, `CN¥`, …). `$`, `¥` and `kr`, which several
 * currencies share, name none: `currency` stays undefined and `symbol` says what was written.
 *
 * Anything that is not clearly one number in at most one currency gives `undefined`: an empty
 * string, two numbers, letters in the middle, an unknown code, a sign on both sides.
 */
export function parseMoney(text: string): Money | undefined {
  let rest = text.replace(spaces, ' ').replace('\u2212', '-').trim();
  let negative = false;
  if (rest.startsWith('(') && rest.endsWith(')')) {
    negative = true;
    rest = rest.slice(1, -1).trim();
  }
  const signed = /^(-?)\s*(\D*?)\s*(-?)\s*(\d.*?)\s*(\D*)$/u.exec(rest);
  if (!signed) return undefined;
  const [, minusBefore = '', prefix = '', minusAfter = '', digits = '', suffix = ''] = signed;
  const minuses = (minusBefore ? 1 : 0) + (minusAfter ? 1 : 0);
  if (minuses > 1 || (negative && minuses > 0)) return undefined;
  if (prefix && suffix) return undefined;
  const symbol = prefix || suffix;
  const currency = symbol ? currencyOf(symbol) : undefined;
  if (symbol && currency === null) return undefined;
  const amount = readNumber(digits);
  if (amount === undefined) return undefined;
  return {
    amount: (negative || minuses > 0) && amount !== 0 ? -amount : amount,
    ...(currency ? { currency } : {}),
    ...(symbol ? { symbol } : {}),
  };
}

/** The code `symbol` names, `undefined` for a sign several currencies share, `null` when it is no currency. */
function currencyOf(symbol: string): string | undefined | null {
  if (!signPart.test(symbol)) return null;
  if (/^[A-Z]{3}$/.test(symbol)) return isoCodes.has(symbol) ? symbol : null;
  if (ambiguousSigns.has(symbol)) return undefined;
  return currencyOfSign[symbol] ?? null;
}

function readNumber(text: string): number | undefined {
  if (!numberPart.test(text) || !/\d$/.test(text)) return undefined;
  const hasSpaceGroups = /[ '’]/.test(text);
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  let decimal: '.' | ',' | undefined;
  if (lastDot >= 0 && lastComma >= 0) decimal = lastDot > lastComma ? '.' : ',';
  else if (lastDot >= 0 || lastComma >= 0) {
    const mark = lastDot >= 0 ? '.' : ',';
    const [whole = '', fraction, ...more] = text.split(mark);
    const groups = more.length === 0 && fraction?.length === 3 && /[1-9]/.test(whole) && !hasSpaceGroups;
    decimal = more.length > 0 || groups ? undefined : mark;
  }
  const [whole = '', fraction = '', ...extra] = decimal === undefined ? [text] : text.split(decimal);
  if (extra.length > 0 || (decimal !== undefined && !/^\d+$/.test(fraction))) return undefined;
  const integer = ungroup(whole);
  if (integer === undefined) return undefined;
  const value = Number(fraction ? `${integer}.${fraction}` : integer);
  return Number.isFinite(value) ? value : undefined;
}

/** The digits of `whole` with its grouping taken out, or `undefined` when the groups are not well formed. */
function ungroup(whole: string): string | undefined {
  const groups = whole.split(/[ .,'’]/);
  if (groups.length === 1) return /^\d+$/.test(whole) ? whole : undefined;
  const separators = new Set(whole.replace(/\d/g, ''));
  if (separators.size > 1) return undefined;
  const [first = '', ...others] = groups;
  const thousands = /^\d{1,3}$/.test(first) && others.every((g) => /^\d{3}$/.test(g));
  const lakhs =
    /^\d{1,2}$/.test(first) &&
    others.slice(0, -1).every((g) => /^\d{2}$/.test(g)) &&
    /^\d{3}$/.test(others.at(-1) ?? '');
  return thousands || lakhs ? groups.join('') : undefined;
}
