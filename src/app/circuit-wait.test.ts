import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { waitsForCircuit } from './circuit-wait.js';

describe('waiting for an open circuit without spending an attempt', () => {
  const T = Date.UTC(2030, 0, 1);
  const HOUR = 3_600_000;

  it('is allowed while the message is younger than the limit, by the time in its id', () => {
    const id = `msg_${ulid(T)}`;
    expect(waitsForCircuit(id, T + 1_000, HOUR)).toBe(true);
    expect(waitsForCircuit(id, T + HOUR - 1, HOUR)).toBe(true);
    expect(waitsForCircuit(id, T + HOUR, HOUR)).toBe(false);
    expect(waitsForCircuit(id, T + 5 * HOUR, HOUR)).toBe(false);
  });

  it('treats an id that holds no time as young', () => {
    expect(waitsForCircuit('msg_backlog_17', T, HOUR)).toBe(true);
    expect(waitsForCircuit('plain', T, HOUR)).toBe(true);
  });
});
