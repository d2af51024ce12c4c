import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeMessage, memoryRepositories } from '../../test/support/messages.js';
import { storageBackends } from '../../test/support/backends.js';
import type { Storage } from './connect.js';
import type { JobRepository } from './job-repository.js';
import type { MessageRepository } from './message-repository.js';
import { oldestWaitingAgeSeconds } from './queue-age.js';

const T0 = Date.UTC(2030, 0, 1);

describe.each(await storageBackends())('oldest waiting job on $name', (backend) => {
  let storage: Storage;
  let repo: MessageRepository;
  let jobs: JobRepository;
  beforeEach(async () => {
    ({ storage, repo, jobs } = await memoryRepositories(backend));
  });
  afterEach(() => storage.close());

  it('is the wait of the oldest due job no worker holds; scheduled and held jobs do not count', async () => {
    expect(await oldestWaitingAgeSeconds(storage, T0)).toBe(0);
    const held = makeMessage({ createdAt: T0 - 600_000 });
    await repo.accept([held], null);
    await jobs.claim({ limit: 1, now: T0, leaseMs: 30_000, leaseToken: 'w1' });
    await repo.accept(
      [
        makeMessage({ createdAt: T0 - 90_000 }),
        makeMessage({ createdAt: T0 - 5_000 }),
        makeMessage({ createdAt: T0, sendAt: T0 + 3_600_000, status: 'scheduled' }),
      ],
      null,
    );
    expect(await oldestWaitingAgeSeconds(storage, T0)).toBe(90);
  });
});
