/**
 * The LimitCounter conformance suite, run on every store a deployment can count in: the SQLite
 * file of the embedded mode, PostgreSQL when one answers, Redis when one answers (under CI=true
 * both are required). Windows are real time: the stores keep their own clocks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LimitCounter, LimitRule } from '../ports/limit-counter.js';
import { limitStores, type LimitStore } from '../../test/support/limit-stores.js';

const stores = await limitStores();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(stores)('limit counter on $name', (store) => {
  let fixture: Awaited<ReturnType<LimitStore['open']>>;
  let counter: LimitCounter;
  let n = 0;
  /** A rule of its own per test, so tests never share a counter. */
  const rule = (points: number, windowMs: number, blockMs?: number): LimitRule => ({
    name: `t${++n}`,
    points,
    windowMs,
    ...(blockMs ? { blockMs } : {}),
  });

  beforeAll(async () => {
    fixture = await store.open();
    counter = fixture.counter;
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('allows exactly the points of a window and refuses one over', async () => {
    const r = rule(3, 60_000);
    const states = [];
    for (let i = 0; i < 4; i++) states.push(await counter.consume(r, '+14155550100', 1));
    expect(states.map((s) => [s.consumed, s.allowed])).toEqual([
      [1, true],
      [2, true],
      [3, true],
      [4, false],
    ]);
    expect(states[3]!.resetInMs).toBeGreaterThan(55_000);
    expect(states[3]!.resetInMs).toBeLessThanOrEqual(60_000);
    // Another key and another rule have counters of their own.
    expect((await counter.consume(r, '+14155550101', 1)).consumed).toBe(1);
    expect((await counter.consume(rule(3, 60_000), '+14155550100', 1)).consumed).toBe(1);
  });

  it('counts several points at once, and takes refunds back', async () => {
    const r = rule(5, 60_000);
    expect(await counter.consume(r, 'k', 3)).toMatchObject({ consumed: 3, allowed: true });
    expect(await counter.consume(r, 'k', 3)).toMatchObject({ consumed: 6, allowed: false });
    await counter.refund(r, 'k', 3);
    expect(await counter.peek(r, 'k')).toMatchObject({ consumed: 3, allowed: true });
    expect(await counter.consume(r, 'k', 2)).toMatchObject({ consumed: 5, allowed: true });
  });

  it('starts a new window when the old one ends', async () => {
    const r = rule(1, 1_000);
    expect((await counter.consume(r, 'k', 1)).allowed).toBe(true);
    const over = await counter.consume(r, 'k', 1);
    expect(over.allowed).toBe(false);
    await sleep(over.resetInMs + 50);
    expect(await counter.consume(r, 'k', 1)).toMatchObject({ consumed: 1, allowed: true });
  });

  it('keeps a key closed for the cooling-off period once it went over', async () => {
    const r = rule(2, 1_000, 3_000);
    await counter.consume(r, 'range', 1);
    await counter.consume(r, 'range', 1);
    const tripped = await counter.consume(r, 'range', 1);
    expect(tripped.allowed).toBe(false);
    expect(tripped.resetInMs).toBeGreaterThan(2_000);
    await sleep(1_300); // the 1 s window is over; the block is not
    expect((await counter.consume(r, 'range', 1)).allowed).toBe(false);
  });

  it('takes a window of its own per consume (a calendar period)', async () => {
    const r = rule(10, 1_000);
    const s = await counter.consume(r, '2031-03-09', 1, 7_200_000);
    expect(s.resetInMs).toBeGreaterThan(7_100_000);
  });

  it('sets and reads a value that never expires', async () => {
    const r = rule(Number.MAX_SAFE_INTEGER, 1_000);
    expect(await counter.peek(r, 'sender')).toBeNull();
    await counter.set(r, 'sender', 23_000, 0);
    await sleep(1_100);
    expect((await counter.peek(r, 'sender'))?.consumed).toBe(23_000);
  });

  it('lets exactly the points through when many count at once', async () => {
    const r = rule(20, 60_000);
    const states = await Promise.all(Array.from({ length: 50 }, () => counter.consume(r, 'burst', 1)));
    expect(states.filter((s) => s.allowed)).toHaveLength(20);
    expect(Math.max(...states.map((s) => s.consumed))).toBe(50);
  });

  it('remembers across a restart', async () => {
    const r = rule(3, 3_600_000);
    await counter.consume(r, '+8613800138000', 2);
    const again = await fixture.reopen();
    expect(await again.consume(r, '+8613800138000', 1)).toMatchObject({ consumed: 3, allowed: true });
    expect(await again.consume(r, '+8613800138000', 1)).toMatchObject({ consumed: 4, allowed: false });
    counter = again;
  });
});
