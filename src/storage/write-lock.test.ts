import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { writeLock, writeLockBuffers } from './write-lock.js';

/**
 * Each thread reads the shared count, dawdles, and writes it back plus one: without mutual
 * exclusion, increments are lost. The threads run the compiled module (a worker cannot load
 * TypeScript), which the test setup builds.
 */
const THREAD = `
const { workerData, parentPort } = require('node:worker_threads');
import(workerData.module).then(async ({ adoptWriteLockBuffers, writeLock }) => {
  adoptWriteLockBuffers(workerData.locks);
  const lock = writeLock(workerData.path);
  const count = new Int32Array(workerData.count);
  for (let i = 0; i < workerData.rounds; i++) {
    await lock.acquire();
    const seen = Atomics.load(count, 0);
    for (let spin = 0; spin < 200; spin++) Math.sqrt(spin);
    Atomics.store(count, 0, seen + 1);
    lock.release();
  }
  parentPort.postMessage('done');
});
`;

describe('the SQLite write lock across threads', () => {
  it('lets one thread at a time in: no increment is lost', async () => {
    const path = '/tmp/write-lock-test.db';
    writeLock(path); // creates the lock word this thread hands to its threads
    const count = new SharedArrayBuffer(4);
    const rounds = 20_000;
    const module = pathToFileURL(join(process.cwd(), 'dist/src/storage/write-lock.js')).href;
    const threads = [1, 2, 3].map(
      () => new Worker(THREAD, { eval: true, workerData: { module, locks: writeLockBuffers(), path, count, rounds } }),
    );
    await Promise.all(
      threads.map(
        (t) => new Promise<void>((resolve, reject) => t.once('message', () => resolve()).once('error', reject)),
      ),
    );
    await Promise.all(threads.map((t) => t.terminate()));
    expect(new Int32Array(count)[0]).toBe(3 * rounds);
  });

  it("gives the API thread's writers way over the dispatch thread's when both wait", async () => {
    const path = '/tmp/write-lock-priority.db';
    const lock = writeLock(path);
    const order = new SharedArrayBuffer(12); // [next slot, first in, second in]
    const module = pathToFileURL(join(process.cwd(), 'dist/src/storage/write-lock.js')).href;
    const contender = (name: 1 | 2, yielding: boolean) =>
      new Worker(
        `
        const { workerData, parentPort } = require('node:worker_threads');
        import(workerData.module).then(async ({ adoptWriteLockBuffers, writeLock }) => {
          adoptWriteLockBuffers(workerData.locks, workerData.yielding);
          const lock = writeLock(workerData.path);
          const order = new Int32Array(workerData.order);
          parentPort.postMessage('trying');
          await lock.acquire();
          order[1 + Atomics.add(order, 0, 1)] = workerData.name;
          lock.release();
          parentPort.postMessage('done');
        });
        `,
        { eval: true, workerData: { module, locks: writeLockBuffers(), path, order, name, yielding } },
      );
    const said = (t: Worker, what: string) => new Promise<void>((r) => t.on('message', (m) => m === what && r()));
    await lock.acquire();
    const dispatch = contender(1, true);
    await said(dispatch, 'trying');
    const api = contender(2, false);
    await said(api, 'trying');
    // The API thread's writer counts itself as waiting before it sleeps.
    const waiting = new Int32Array(writeLockBuffers().find(([p]) => p === path)![1]);
    while (Atomics.load(waiting, 1) === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50)); // the dispatch thread is asleep on the lock too
    const done = Promise.all([said(dispatch, 'done'), said(api, 'done')]);
    lock.release();
    await done;
    await Promise.all([dispatch.terminate(), api.terminate()]);
    expect([...new Int32Array(order).slice(1)]).toEqual([2, 1]);
  });

  it('is one lock per file, whatever path spelling names it', async () => {
    const a = writeLock('/tmp/one.db');
    const b = writeLock('/tmp/./one.db');
    const other = writeLock('/tmp/two.db');
    await a.acquire();
    await other.acquire(); // a different file: free
    other.release();
    const shared = new Map(writeLockBuffers());
    expect(shared.get('/tmp/one.db')).toBeDefined();
    expect(shared.has('/tmp/./one.db')).toBe(false);
    let bIn = false;
    const bWaits = b.acquire().then(() => (bIn = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(bIn).toBe(false); // the same file, by another spelling: held
    a.release();
    await bWaits;
    b.release();
  });

  it("a waiting writer's thread goes on with its other work, and gets the lock as it is released", async () => {
    const path = '/tmp/write-lock-async.db';
    const lock = writeLock(path);
    const module = pathToFileURL(join(process.cwd(), 'dist/src/storage/write-lock.js')).href;
    const holder = new Worker(
      `
      const { workerData, parentPort } = require('node:worker_threads');
      import(workerData.module).then(async ({ adoptWriteLockBuffers, writeLock }) => {
        adoptWriteLockBuffers(workerData.locks, true);
        const lock = writeLock(workerData.path);
        await lock.acquire();
        parentPort.postMessage('holding');
        parentPort.once('message', () => { lock.release(); parentPort.postMessage('released'); });
      });
      `,
      { eval: true, workerData: { module, locks: writeLockBuffers(), path } },
    );
    const said = (what: string) => new Promise<void>((r) => holder.on('message', (m) => m === what && r()));
    await said('holding');
    let acquired = false;
    const waiting = lock.acquire().then(() => (acquired = true));
    // The event loop of this thread still turns while it waits: timers fire, ticks are counted.
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    await new Promise((r) => setTimeout(r, 120));
    clearInterval(ticker);
    expect(acquired).toBe(false);
    expect(ticks).toBeGreaterThanOrEqual(5);
    const released = said('released');
    holder.postMessage('release');
    await released;
    await waiting;
    expect(acquired).toBe(true);
    lock.release();
    await holder.terminate();
  });
});
