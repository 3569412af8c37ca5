import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMoney, type Money } from '../../src/domain/money';

describe('reading an amount of money', () => {
  const read: { rule: string; text: string; money: Money }[] = [
    {
      rule: 'Azure’s dollars, with a thousands comma',
      text: '$11,111.00',
      money: { amount: 11111, symbol: '$' },
    },
    { rule: 'a bare number', text: '11111', money: { amount: 11111 } },
    {
      rule: 'a bare number with decimals, as the older schema sends it',
      text: '1111.32',
      money: { amount: 1111.32 },
    },
    { rule: 'a dollar amount without grouping', text: '$1111.11', money: { amount: 1111.11, symbol: '$' } },
    {
      rule: 'euros written the German way, sign first',
      text: '€1.234,56',
      money: { amount: 1234.56, currency: 'EUR', symbol: '€' },
    },
    {
      rule: 'euros written the German way, sign after',
      text: '1.234,56 €',
      money: { amount: 1234.56, currency: 'EUR', symbol: '€' },
    },
    {
      rule: 'euros written the French way, grouped by a space',
      text: '1 234,56 €',
      money: { amount: 1234.56, currency: 'EUR', symbol: '€' },
    },
    {
      rule: 'a no-break space as grouping and before the sign',
      text: '1\u00a0234,56\u00a0€',
      money: { amount: 1234.56, currency: 'EUR', symbol: '€' },
    },
    {
      rule: 'a narrow no-break space as grouping',
      text: '1\u202f234\u202f567,89\u00a0€',
      money: { amount: 1234567.89, currency: 'EUR', symbol: '€' },
    },
    {
      rule: 'an ISO code before the number',
      text: 'EUR 1,234.56',
      money: { amount: 1234.56, currency: 'EUR', symbol: 'EUR' },
    },
    {
      rule: 'an ISO code after the number',
      text: '1234.56 USD',
      money: { amount: 1234.56, currency: 'USD', symbol: 'USD' },
    },
    {
      rule: 'Swiss francs grouped by an apostrophe',
      text: "CHF 1'234.50",
      money: { amount: 1234.5, currency: 'CHF', symbol: 'CHF' },
    },
    {
      rule: 'a typographic apostrophe as grouping',
      text: 'CHF 1’234.50',
      money: { amount: 1234.5, currency: 'CHF', symbol: 'CHF' },
    },
    {
      rule: 'yen, a sign shared with the yuan, naming no currency',
      text: '¥1,000',
      money: { amount: 1000, symbol: '¥' },
    },
    { rule: 'yuan written CN¥', text: 'CN¥1,000', money: { amount: 1000, currency: 'CNY', symbol: 'CN¥' } },
    {
      rule: 'rupees grouped in lakhs',
      text: '₹1,23,456.00',
      money: { amount: 123456, currency: 'INR', symbol: '₹' },
    },
    {
      rule: 'rupees in crores',
      text: '₹1,23,45,678.50',
      money: { amount: 12345678.5, currency: 'INR', symbol: '₹' },
    },
    { rule: 'pence', text: '£0.80', money: { amount: 0.8, currency: 'GBP', symbol: '£' } },
    { rule: 'US$ naming the dollar', text: 'US$5', money: { amount: 5, currency: 'USD', symbol: 'US$' } },
    {
      rule: 'C$ naming the Canadian dollar',
      text: 'C$12.50',
      money: { amount: 12.5, currency: 'CAD', symbol: 'C$' },
    },
    {
      rule: 'A$ naming the Australian dollar',
      text: 'A$7',
      money: { amount: 7, currency: 'AUD', symbol: 'A$' },
    },
    {
      rule: 'kr, shared by several crowns, naming no currency',
      text: '1.234,50 kr',
      money: { amount: 1234.5, symbol: 'kr' },
    },
    { rule: 'złoty', text: '1 234,56 zł', money: { amount: 1234.56, currency: 'PLN', symbol: 'zł' } },
    { rule: 'a minus before the sign', text: '-$5.00', money: { amount: -5, symbol: '$' } },
    { rule: 'a minus after the sign', text: '$-5.00', money: { amount: -5, symbol: '$' } },
    { rule: 'a typographic minus', text: '−5,00 €', money: { amount: -5, currency: 'EUR', symbol: '€' } },
    { rule: 'accounting parentheses as negative', text: '(5.00)', money: { amount: -5 } },
    { rule: 'accounting parentheses around a sign', text: '($5.00)', money: { amount: -5, symbol: '$' } },
    { rule: 'space around the text', text: '  $5  ', money: { amount: 5, symbol: '$' } },
    { rule: 'a single comma before three digits as thousands', text: '1,000', money: { amount: 1000 } },
    { rule: 'a single dot before three digits as thousands', text: '1.234', money: { amount: 1234 } },
    {
      rule: 'a dot after a zero as decimal, even before three digits',
      text: '0.800',
      money: { amount: 0.8 },
    },
    { rule: 'a single comma before two digits as decimal', text: '12,34', money: { amount: 12.34 } },
    { rule: 'a single comma before four digits as decimal', text: '1,2345', money: { amount: 1.2345 } },
    { rule: 'a comma as decimal once spaces group', text: '1 234,567', money: { amount: 1234.567 } },
    { rule: 'repeated dots as thousands', text: '1.234.567', money: { amount: 1234567 } },
    { rule: 'dots grouping and a comma as decimal', text: '1.234.567,89', money: { amount: 1234567.89 } },
    { rule: 'zero, not minus zero', text: '-0.00', money: { amount: 0 } },
  ];
  for (const r of read) {
    it(`reads ${r.rule}: ${JSON.stringify(r.text)}`, () => {
      assert.deepEqual(parseMoney(r.text), r.money);
    });
  }

  const unreadable: { rule: string; text: string }[] = [
    { rule: 'an empty string', text: '' },
    { rule: 'only spaces', text: '   ' },
    { rule: 'a sign without a number', text: '$' },
    { rule: 'two numbers', text: '5 10' },
    { rule: 'two amounts', text: '$5 $10' },
    { rule: 'letters in the middle', text: '12abc34' },
    { rule: 'a word after the number', text: '5 dollars' },
    { rule: 'an unknown three-letter code', text: 'ABC 5' },
    { rule: 'a lower-case code', text: 'usd 5' },
    { rule: 'a sign on both sides', text: '$5 USD' },
    { rule: 'a trailing separator', text: '5.' },
    { rule: 'a leading separator', text: '.5' },
    { rule: 'groups of the wrong size', text: '1,2,3' },
    { rule: 'a last group of two digits', text: '1,234,56' },
    { rule: 'two decimal separators', text: '1.234,56.78' },
    { rule: 'grouping by two different marks', text: "1'234 567" },
    { rule: 'two minus signs', text: '--5' },
    { rule: 'a minus inside parentheses', text: '(-5)' },
    { rule: 'a plus sign', text: '+5' },
    { rule: 'an exponent', text: '1e5' },
    { rule: 'a number too large to be finite', text: '9'.repeat(400) },
  ];
  for (const r of unreadable) {
    it(`reads no amount from ${r.rule}: ${JSON.stringify(r.text.slice(0, 20))}`, () => {
      assert.equal(parseMoney(r.text), undefined);
    });
  }
});
