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
import(workerData.module).then(({ adoptWriteLockBuffers, writeLock }) => {
  adoptWriteLockBuffers(workerData.locks);
  const lock = writeLock(workerData.path);
  const count = new Int32Array(workerData.count);
  for (let i = 0; i < workerData.rounds; i++) {
    lock.acquire();
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

  it('is one lock per file, whatever path spelling names it', () => {
    const a = writeLock('/tmp/one.db');
    const b = writeLock('/tmp/./one.db');
    const other = writeLock('/tmp/two.db');
    a.acquire();
    other.acquire(); // a different file: free
    other.release();
    const shared = new Map(writeLockBuffers());
    expect(shared.get('/tmp/one.db')).toBeDefined();
    expect(shared.has('/tmp/./one.db')).toBe(false);
    a.release();
    b.acquire();
    b.release();
  });
});
