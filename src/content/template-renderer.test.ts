import { describe, expect, it } from 'vitest';
import { createTemplateRenderer, TemplateError, type RenderContext } from './template-renderer.js';

const renderer = createTemplateRenderer();
const shanghai: RenderContext = { locale: 'zh-CN', timezone: 'Asia/Shanghai' };
const newYork: RenderContext = { locale: 'en-US', timezone: 'America/New_York' };

function render(source: string, data: Record<string, unknown> = {}, ctx: RenderContext = newYork): string {
  return renderer.render(renderer.compile(source), data, ctx);
}

function failure(run: () => unknown): TemplateError {
  try {
    run();
  } catch (err) {
    if (err instanceof TemplateError) return err;
    throw err;
  }
  throw new Error('expected a TemplateError');
}

describe('rendering', () => {
  it('fills variables, conditions and loops', () => {
    const source = 'Hi {{ name }}, {% if urgent %}URGENT: {% endif %}{% for i in items %}{{ i.label }};{% endfor %}';
    expect(render(source, { name: 'Ann', urgent: true, items: [{ label: 'a' }, { label: 'b' }] })).toBe(
      'Hi Ann, URGENT: a;b;',
    );
  });

  it('compiles once and renders many times with different data', () => {
    const tpl = renderer.compile('Code {{ code }}');
    expect(renderer.render(tpl, { code: '123' }, newYork)).toBe('Code 123');
    expect(renderer.render(tpl, { code: '456' }, newYork)).toBe('Code 456');
  });

  it('uses JavaScript truthiness, so an empty optional field is skipped', () => {
    const source = '{% if coupon %}Use {{ coupon }}{% else %}No coupon{% endif %}';
    expect(render(source, { coupon: '' })).toBe('No coupon');
    expect(render(source, { coupon: 'SAVE5' })).toBe('Use SAVE5');
  });

  it('treats a missing variable as false in if and as empty for default', () => {
    expect(render("{% if coupon %}C{% else %}none{% endif %} {{ coupon | default: 'n/a' }}")).toBe('none n/a');
  });

  it('renders an explicit null as empty', () => {
    expect(render('[{{ note }}]', { note: null })).toBe('[]');
  });

  it('does not change the caller’s data', () => {
    const data = { n: 1 };
    expect(render('{% increment n %}{% increment n %}', data)).toBe('12');
    expect(data).toEqual({ n: 1 });
  });

  it('lets the built-in date filter ignore the server’s zone', () => {
    expect(render("{{ at | date: '%Y-%m-%d %H:%M' }}", { at: '2026-12-01T23:30:00Z' })).toBe('2026-12-01 23:30');
  });

  it('uses the recipient’s locale and zone in the Tidings filters', () => {
    const source = '{{ name | first_name }}，您的订单 {{ total | money: "CNY" }} 将于 {{ at | local_datetime }} 送达';
    const data = { name: '欧阳娜娜', total: '1234.5', at: '2026-12-01T09:30:00Z' };
    expect(render(source, data, shanghai)).toBe('娜娜，您的订单 ¥1,234.50 将于 2026/12/1 17:30 送达');
  });
});

describe('strict variables', () => {
  it.each([
    ['Hi {{ name }}', {}, 'name'],
    ['Your table at {{ booking.time }}', { booking: {} }, 'booking.time'],
    ['Your table at {{ booking.time }}', { booking: null }, 'booking.time'],
    ['{{ a.b.c }}', { a: { b: {} } }, 'a.b.c'],
    ['{{ name | upcase }}', {}, 'name'],
  ])('%s with %j names %s', (source, data, variable) => {
    const err = failure(() => render(source, data));
    expect(err.code).toBe('template_variable_missing');
    expect(err.variable).toBe(variable);
    expect(err.message).toContain(variable);
  });

  it('gives the position of the missing variable', () => {
    const err = failure(() => render('Hello\n  {{ name }}'));
    expect([err.line, err.column]).toEqual([2, 6]);
  });
});

describe('compile errors', () => {
  it.each([
    ['{% if x %}open', /not closed/],
    ['{{ x ', /not closed/],
    ["{{ 'x' | no_such_filter }}", /no_such_filter/],
    ['{% no_such_tag %}', /no_such_tag/],
  ])('%s is template_invalid', (source, reason) => {
    const err = failure(() => renderer.compile(source));
    expect(err.code).toBe('template_invalid');
    expect(err.message).toMatch(reason);
    expect(err.line).toBe(1);
  });

  it('reports the line and column of the fault', () => {
    const err = failure(() => renderer.compile('line one\nline two {{ x | nope }}'));
    expect([err.line, err.column]).toEqual([2, 10]);
  });

  it.each(["{% include 'secrets' %}", "{% render 'secrets' %}", "{% layout 'base' %}", '{% block x %}{% endblock %}'])(
    'refuses the file tag %s at compile',
    (source) => {
      expect(failure(() => renderer.compile(source)).code).toBe('template_invalid');
    },
  );

  it('refuses a template longer than maxTemplateChars', () => {
    const err = failure(() => renderer.compile('x'.repeat(10_001)));
    expect(err.code).toBe('template_too_long');
    expect(() => renderer.compile('x'.repeat(10_000))).not.toThrow();
  });

  it('fails cleanly on nesting deep enough to overflow the parser', () => {
    const deep = createTemplateRenderer({ maxTemplateChars: 1_000_000 });
    const err = failure(() => deep.compile('{%if x%}'.repeat(30_000) + '{%endif%}'.repeat(30_000)));
    expect(err.code).toBe('template_invalid');
  });
});

describe('no way into JavaScript', () => {
  it.each([
    ['{{ name.constructor }}', { name: 'x' }],
    ['{{ a.__proto__ }}', { a: {} }],
    ['{{ a.constructor.name }}', { a: {} }],
    ['{{ a.toString }}', { a: {} }],
    ['{{ list.constructor }}', { list: [] }],
    ['{{ a.hasOwnProperty }}', { a: {} }],
  ])('%s reads nothing from the prototype', (source, data) => {
    expect(failure(() => render(source, data)).code).toBe('template_variable_missing');
  });

  it('does not reach Object.prototype through the scope either', () => {
    expect(failure(() => render('{{ constructor }}')).code).toBe('template_variable_missing');
    expect(failure(() => render('{{ __proto__ }}')).code).toBe('template_variable_missing');
  });

  it('treats a caller’s own __proto__ key as plain data', () => {
    const data = JSON.parse('{"__proto__": {"polluted": "yes"}}') as Record<string, unknown>;
    expect(render('{{ __proto__.polluted }}', data)).toBe('yes');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(["{{ 'x' | constructor }}", "{{ 'x' | __proto__ }}", "{{ 'x' | toString }}"])(
    'has no filter named after a prototype member: %s',
    (source) => {
      expect(failure(() => renderer.compile(source)).code).toBe('template_invalid');
    },
  );
});

describe('limits', () => {
  function failsFast(source: string, data: Record<string, unknown> = {}): TemplateError {
    const started = performance.now();
    const err = failure(() => render(source, data));
    // The limit is 50 ms. This bound only tells a stop from a hang (the loops above would run for
    // minutes), so it is wide enough for a machine loaded many times over.
    expect(performance.now() - started).toBeLessThan(5_000);
    return err;
  }

  it('stops a huge loop', () => {
    expect(failsFast('{% for i in (1..100000000) %}x{% endfor %}').code).toBe('template_render_failed');
  });

  it('stops nested loops', () => {
    const source =
      '{% for i in (1..1000) %}{% for j in (1..1000) %}{% for k in (1..1000) %}{% endfor %}{% endfor %}{% endfor %}';
    expect(failsFast(source).code).toBe('template_render_failed');
  });

  it('stops loops over data too', () => {
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const source = '{% for a in items %}{% for b in items %}{% for c in items %}{% endfor %}{% endfor %}{% endfor %}';
    expect(failsFast(source, { items }).code).toBe('template_render_failed');
  });

  it('stops a string that doubles itself', () => {
    const source = "{% assign s = 'ab' %}" + '{% assign s = s | append: s %}'.repeat(40) + '{{ s | size }}';
    const err = failsFast(source);
    expect(err.code).toBe('template_render_failed');
    expect(err.message).toMatch(/too large/);
  });

  it('stops a capture that grows in a loop', () => {
    const body = 'x'.repeat(100);
    const source = `{% capture s %}{% for i in (1..900) %}{% for j in (1..900) %}${body}{% endfor %}{% endfor %}{% endcapture %}{{ s | size }}`;
    expect(failsFast(source).code).toBe('template_render_failed');
  });

  it('stops output as soon as it passes maxOutputChars', () => {
    const err = failsFast('{% for i in (1..100000) %}0123456789{% endfor %}');
    expect(err.code).toBe('template_too_long');
  });

  it('allows output up to maxOutputChars', () => {
    expect(render('{% for i in (1..640) %}0123456789{% endfor %}')).toHaveLength(6400);
    expect(failure(() => render('{% for i in (1..641) %}0123456789{% endfor %}')).code).toBe('template_too_long');
  });

  it('takes its limits from the caller', () => {
    const small = createTemplateRenderer({ maxOutputChars: 5, maxTemplateChars: 40, maxMemory: 10 });
    expect(failure(() => small.render(small.compile('{{ s }}'), { s: '123456' }, newYork)).code).toBe(
      'template_too_long',
    );
    expect(failure(() => small.compile('x'.repeat(41))).code).toBe('template_too_long');
    expect(failure(() => small.render(small.compile('{% for i in (1..11) %}{% endfor %}'), {}, newYork)).code).toBe(
      'template_render_failed',
    );
  });

  it('times a render out after maxRenderMs', () => {
    // Memory is no limit here, so only the clock stops it.
    const patient = createTemplateRenderer({ maxRenderMs: 5, maxMemory: 1e9 });
    const tpl = patient.compile(
      '{% for i in (1..1000) %}{% for j in (1..1000) %}{% for k in (1..1000) %}{% endfor %}{% endfor %}{% endfor %}',
    );
    const started = performance.now();
    const err = failure(() => patient.render(tpl, {}, newYork));
    expect(err.message).toMatch(/too long to render/);
    // Stopped by the clock, not run to the end (which would take minutes).
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('variables', () => {
  it('lists the top-level names the data must give, without assigned or loop names', () => {
    const tpl = renderer.compile(
      '{% assign greeting = "Hi" %}{{ greeting }} {{ name | first_name }} {{ booking.time }}' +
        '{% for item in items %}{{ item.label }}{% endfor %}{% if vip %}!{% endif %}{{ name }}',
    );
    expect(renderer.variables(tpl)).toEqual(['booking', 'items', 'name', 'vip']);
  });
});
