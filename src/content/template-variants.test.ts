import { monotonicFactory, ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { chooseVariant, fnv1a32, validateVariants, VariantError } from './template-variants.js';

/** A seeded generator, so the distribution tests check the same ids on every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** What the server makes: monotonic ULIDs, many in one millisecond, differing in the last characters. */
function serverIds(count: number): string[] {
  const next = monotonicFactory(seeded(7));
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(next(1_767_000_000_000 + Math.floor(i / 500)));
  return ids;
}

function randomIds(count: number): string[] {
  const prng = seeded(42);
  return Array.from({ length: count }, (_, i) => ulid(1_767_000_000_000 + i * 37, prng));
}

function shares(variants: { name: string; weight: number }[], ids: string[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(variants.map((v) => [v.name, 0]));
  for (const id of ids) counts[chooseVariant(variants, id).name]! += 1;
  return Object.fromEntries(Object.entries(counts).map(([name, n]) => [name, n / ids.length]));
}

describe('chooseVariant', () => {
  const ab = [
    { name: 'a', weight: 10 },
    { name: 'b', weight: 90 },
  ];

  it('gives the same id the same variant, every time', () => {
    for (const id of randomIds(200)) {
      const first = chooseVariant(ab, id).name;
      for (let i = 0; i < 3; i++) expect(chooseVariant(ab, id).name).toBe(first);
    }
  });

  it('returns the caller’s own variant object', () => {
    const variants = [{ name: 'only', weight: 1, delayMs: 5 }];
    expect(chooseVariant(variants, 'x')).toBe(variants[0]);
  });

  it.each([
    ['monotonic server ids', serverIds(10_000)],
    ['random ULIDs', randomIds(10_000)],
  ])('splits 10/90 within 2 points over 10,000 %s', (_, ids) => {
    const got = shares(ab, ids);
    expect(Math.abs(got.a! - 0.1)).toBeLessThan(0.02);
    expect(Math.abs(got.b! - 0.9)).toBeLessThan(0.02);
  });

  it('splits three ways with fractional weights', () => {
    const variants = [
      { name: 'x', weight: 0.2 },
      { name: 'y', weight: 0.3 },
      { name: 'z', weight: 0.5 },
    ];
    const got = shares(variants, serverIds(10_000));
    expect(Math.abs(got.x! - 0.2)).toBeLessThan(0.02);
    expect(Math.abs(got.y! - 0.3)).toBeLessThan(0.02);
    expect(Math.abs(got.z! - 0.5)).toBeLessThan(0.02);
  });

  it('does not assign neighbouring ids in a pattern', () => {
    // Consecutive ids alternate between variants about as often as independent draws would.
    const ids = serverIds(10_000);
    const half = [
      { name: 'a', weight: 1 },
      { name: 'b', weight: 1 },
    ];
    let changes = 0;
    for (let i = 1; i < ids.length; i++) {
      if (chooseVariant(half, ids[i]!).name !== chooseVariant(half, ids[i - 1]!).name) changes++;
    }
    expect(changes / (ids.length - 1)).toBeGreaterThan(0.47);
    expect(changes / (ids.length - 1)).toBeLessThan(0.53);
  });

  it('never chooses a variant of weight 0', () => {
    const variants = [
      { name: 'off', weight: 0 },
      { name: 'on', weight: 1 },
      { name: 'off-too', weight: 0 },
    ];
    for (const id of serverIds(5_000)) expect(chooseVariant(variants, id).name).toBe('on');
  });

  it('refuses weights that sum to 0', () => {
    expect(() => chooseVariant([{ name: 'a', weight: 0 }], 'id')).toThrow(VariantError);
    expect(() => chooseVariant([], 'id')).toThrow(VariantError);
  });
});

describe('validateVariants', () => {
  it('accepts weights of 0 or more with a positive sum', () => {
    expect(() =>
      validateVariants([
        { name: 'a', weight: 0 },
        { name: 'b', weight: 2.5 },
      ]),
    ).not.toThrow();
  });

  it.each([
    [[], /at least one variant/],
    [[{ name: 'a', weight: 0 }], /at least one must be positive/],
    [
      [
        { name: 'a', weight: 1 },
        { name: 'b', weight: -1 },
      ],
      /"b" has weight -1/,
    ],
    [[{ name: 'a', weight: Number.NaN }], /weight NaN/],
    [[{ name: 'a', weight: Number.POSITIVE_INFINITY }], /weight Infinity/],
    [
      [
        { name: 'a', weight: 1 },
        { name: 'a', weight: 2 },
      ],
      /named "a"/,
    ],
    [[{ name: ' ', weight: 1 }], /no name/],
  ])('refuses %j', (variants, reason) => {
    expect(() => validateVariants(variants)).toThrow(reason);
  });

  it('points at the variant at fault', () => {
    try {
      validateVariants([
        { name: 'a', weight: 1 },
        { name: 'b', weight: -2 },
      ]);
    } catch (err) {
      expect(err).toBeInstanceOf(VariantError);
      expect((err as VariantError).index).toBe(1);
      return;
    }
    throw new Error('expected a VariantError');
  });
});

describe('fnv1a32', () => {
  // Published FNV-1a 32-bit test vectors (Fowler/Noll/Vo reference).
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('hashes %j to the reference value', (text, expected) => {
    expect(fnv1a32(text)).toBe(expected);
  });
});
