/** Building blocks for storage and queue tests. */
import type { Message } from '../../src/core/message.js';
import type { Storage } from '../../src/storage/connect.js';
import { JobRepository } from '../../src/storage/job-repository.js';
import { MessageRepository } from '../../src/storage/message-repository.js';
import { sqliteBackend, type StorageBackend } from './backends.js';

let seq = 0;

/** A fresh, empty database: in memory on SQLite (the default), in its own schema on PostgreSQL. */
export async function memoryStorage(backend: StorageBackend = sqliteBackend): Promise<Storage> {
  return backend.open();
}

/** A fresh database with the two repositories the queue and the use cases write through. */
export async function memoryRepositories(backend: StorageBackend = sqliteBackend): Promise<{
  storage: Storage;
  repo: MessageRepository;
  jobs: JobRepository;
}> {
  const storage = await memoryStorage(backend);
  return { storage, repo: new MessageRepository(storage), jobs: new JobRepository(storage) };
}

/** A valid queued message; ids sort by creation like the real ULID ids. */
export function makeMessage(overrides: Partial<Message> = {}): Message {
  seq += 1;
  const now = overrides.createdAt ?? Date.UTC(2030, 0, 1);
  return {
    id: `msg_${String(seq).padStart(26, '0')}`,
    channel: 'sms',
    purpose: 'transactional',
    to: '+14155552671',
    from: null,
    body: `hello ${seq}`,
    encoding: 'GSM-7',
    segments: 1,
    status: 'queued',
    provider: null,
    providerMessageId: null,
    reference: null,
    metadata: null,
    sendAt: null,
    attempts: 0,
    errorCode: null,
    errorMessage: null,
    apiKeyId: 'key_test',
    template: null,
    fallback: [],
    contacts: null,
    cost: null,
    price: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}
