import { describe, expect, it } from 'vitest';
import { createTemplateRenderer, TemplateError, type RenderContext } from './template-renderer.js';

// The filters only run inside a render, so they are tested through the renderer.
const renderer = createTemplateRenderer();
const at = '2026-12-01T09:30:00Z';

function render(source: string, data: Record<string, unknown>, ctx: RenderContext): string {
  return renderer.render(renderer.compile(source), data, ctx);
}

function failure(source: string, data: Record<string, unknown>, ctx: RenderContext): TemplateError {
  try {
    render(source, data, ctx);
  } catch (err) {
    if (err instanceof TemplateError) return err;
    throw err;
  }
  throw new Error('expected a TemplateError');
}

const zh: RenderContext = { locale: 'zh-CN', timezone: 'Asia/Shanghai' };
const us: RenderContext = { locale: 'en-US', timezone: 'America/New_York' };
const none: RenderContext = { locale: null, timezone: null };

describe('money', () => {
  it.each([
    [1234.5, 'CNY', zh, '¥1,234.50'],
    ['1234.5', 'CNY', zh, '¥1,234.50'],
    [12, 'USD', us, '$12.00'],
    ['12', 'usd', us, '$12.00'],
    [1234.5, 'CNY', us, 'CN¥1,234.50'],
    [-3.2, 'USD', us, '-$3.20'],
    [1234.5, 'EUR', { locale: 'de-DE', timezone: null }, '1.234,50 €'],
    [1234.5, 'JPY', { locale: 'en-US', timezone: null }, '¥1,235'],
    [12, 'USD', none, '$12.00'],
  ] as const)('%j %s in %j → %s', (amount, currency, ctx, expected) => {
    expect(render(`{{ amount | money: '${currency}' }}`, { amount }, ctx)).toBe(expected);
  });

  it('formats a decimal string exactly, without float rounding', () => {
    // As a float, 1.005 is 1.00499999…, which would round down.
    expect(render("{{ a | money: 'USD' }}", { a: '1.005' }, us)).toBe('$1.01');
    expect(render("{{ a | money: 'USD' }}", { a: '12345678901234567.25' }, us)).toBe('$12,345,678,901,234,567.25');
  });

  it('writes plain spaces where ICU puts no-break spaces', () => {
    const text = render("{{ a | money: 'EUR' }}", { a: 1234.5 }, { locale: 'fr-FR', timezone: null });
    expect(text).toBe('1 234,50 €');
    expect(text).not.toMatch(/[\u00a0\u202f]/);
  });

  it.each([
    ['abc', 'USD', /number/],
    ['', 'USD', /number/],
    ['1e3', 'USD', /number/],
    [null, 'USD', /null/],
    [true, 'USD', /number/],
    [Number.NaN, 'USD', /number/],
    [[1], 'USD', /a list/],
    [1, 'XYZW', /currency/],
    [1, 'ZZZ', /currency/],
  ])('refuses amount %j with currency %s', (amount, currency, reason) => {
    const err = failure(`{{ amount | money: '${currency}' }}`, { amount }, us);
    expect(err.code).toBe('template_render_failed');
    expect(err.message).toMatch(reason);
  });

  it('needs a currency', () => {
    expect(failure('{{ 1 | money }}', {}, us).message).toMatch(/currency/);
  });
});

describe('local_date, local_time, local_datetime', () => {
  it('renders in the recipient’s zone and locale', () => {
    expect(render('{{ at | local_datetime }}', { at }, zh)).toBe('2026/12/1 17:30');
    expect(render('{{ at | local_date }}', { at }, zh)).toBe('2026/12/1');
    expect(render('{{ at | local_time }}', { at }, zh)).toBe('17:30');
    expect(render('{{ at | local_datetime }}', { at }, us)).toBe('12/1/26, 4:30 AM');
  });

  it('crosses the date line with the zone', () => {
    const late = '2026-12-01T20:00:00Z';
    expect(render('{{ at | local_date }}', { at: late }, { locale: 'en-US', timezone: 'America/New_York' })).toBe(
      '12/1/26',
    );
    expect(render('{{ at | local_date }}', { at: late }, { locale: 'en-US', timezone: 'Asia/Shanghai' })).toBe(
      '12/2/26',
    );
  });

  it.each([
    ['local_date', 'medium', zh, '2026年12月1日'],
    ['local_date', 'long', us, 'December 1, 2026'],
    ['local_time', 'medium', us, '4:30:00 AM'],
    ['local_datetime', 'medium', us, 'Dec 1, 2026, 4:30:00 AM'],
    ['local_datetime', 'long', us, 'December 1, 2026 at 4:30:00 AM EST'],
  ] as const)('%s with style %s', (filter, style, ctx, expected) => {
    expect(render(`{{ at | ${filter}: '${style}' }}`, { at }, ctx)).toBe(expected);
  });

  it('writes plain spaces, so an English time does not force UCS-2', () => {
    expect(render('{{ at | local_time }}', { at }, us)).toBe('4:30 AM');
  });

  it.each([
    ['epoch ms', Date.parse(at)],
    ['epoch ms as a string', String(Date.parse(at))],
    ['an offset', '2026-12-01T17:30:00+08:00'],
    ['milliseconds', '2026-12-01T09:30:00.000Z'],
    ['no seconds', '2026-12-01T09:30Z'],
  ])('accepts %s', (_, value) => {
    expect(render('{{ at | local_datetime }}', { at: value }, zh)).toBe('2026/12/1 17:30');
  });

  it('uses UTC and en-US when the recipient’s are unknown', () => {
    expect(render('{{ at | local_datetime }}', { at }, none)).toBe('12/1/26, 9:30 AM');
  });

  it('accepts a locale written with an underscore', () => {
    expect(render('{{ at | local_date }}', { at }, { locale: 'zh_CN', timezone: 'Asia/Shanghai' })).toBe('2026/12/1');
  });

  it.each([
    ['2026-12-01T09:30:00', /offset/],
    ['2026-12-01', /offset/],
    ['tomorrow', /offset/],
    ['2026-13-45T09:30:00Z', /offset/],
    [null, /null/],
    [{}, /an object/],
  ])('refuses %j', (value, reason) => {
    const err = failure('{{ at | local_date }}', { at: value }, zh);
    expect(err.code).toBe('template_render_failed');
    expect(err.message).toMatch(reason);
  });

  it('refuses an unknown style', () => {
    expect(failure("{{ at | local_date: 'full' }}", { at }, zh).message).toMatch(/'short', 'medium' or 'long'/);
  });

  it('refuses an unknown time zone or locale, naming it', () => {
    expect(failure('{{ at | local_date }}', { at }, { locale: 'en', timezone: 'Mars/Olympus' }).message).toMatch(
      /Mars\/Olympus/,
    );
    expect(failure('{{ at | local_date }}', { at }, { locale: 'not a tag!', timezone: null }).message).toMatch(
      /not a tag!/,
    );
  });

  it('says where in the template it failed', () => {
    const err = failure('Line one\nAt {{ at | local_date }}', { at: 'soon' }, zh);
    expect(err.line).toBe(2);
  });
});

describe('first_name', () => {
  it('greets by first name', () => {
    expect(render('Hi {{ n | first_name }}', { n: 'Dr. Jane Smith' }, us)).toBe('Hi Jane');
    expect(render('{{ n | first_name }}，您好', { n: '诸葛亮' }, zh)).toBe('亮，您好');
    expect(render('[{{ n | first_name }}]', { n: '' }, zh)).toBe('[]');
  });
});
