/**
 * @module ports/api-keys
 * API keys are stored as hashes only; the secret is shown once, at creation.
 */
export type ApiKeyRole = 'admin' | 'send' | 'read';

export interface ApiKeyRecord {
  id: string;
  name: string;
  /** The public part of the key, used to find the record without scanning. */
  prefix: string;
  hash: string;
  role: ApiKeyRole;
  createdAt: number;
  revokedAt: number | null;
}

export interface ApiKeyStore {
  insert(record: ApiKeyRecord): Promise<void>;
  findByPrefix(prefix: string): Promise<ApiKeyRecord | null>;
  list(): Promise<ApiKeyRecord[]>;
  revoke(idOrPrefix: string, at: number): Promise<boolean>;
  count(): Promise<number>;
}
