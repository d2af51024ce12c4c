/**
 * @module storage/twilio-compat-repository
 * The Twilio-compatible API's records: issued credentials, and one row per message sent through
 * them. Reads join that row to the message itself and to its `sent` event (Twilio's `date_sent`),
 * so the compat API sees only its own account's messages, newest first, straight off an index.
 */
import type { ExpressionBuilder, Selectable } from 'kysely';
import type { MessageStatus } from '../core/message.js';
import type {
  TwilioCompatAccount,
  TwilioCompatAccountStore,
  TwilioCompatListFilter,
  TwilioCompatMessageRow,
  TwilioCompatMessageStore,
  TwilioCompatRegistration,
  TwilioCompatRole,
} from '../ports/twilio-compat.js';
import { bulkInsert } from './bulk-insert.js';
import { Coalescer } from './coalesce.js';
import type { StorageHandle } from './handle.js';
import type { Database, TwilioCompatAccountsTable } from './schema.js';
import { paddedInList } from './statement-shapes.js';

const REGISTRATION_COLUMNS = [
  'message_id',
  'account_sid',
  'status_callback',
  'messaging_service_sid',
  'created_at',
] as const;

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));
const money = (amount: number | null, currency: string | null) =>
  amount === null || currency === null ? null : { amount: Number(amount), currency };

function accountFromRow(r: Omit<Selectable<TwilioCompatAccountsTable>, 'auth_token'>): TwilioCompatAccount {
  return {
    sid: r.sid,
    name: r.name,
    role: r.role as TwilioCompatRole,
    tokenHash: r.token_hash,
    createdAt: Number(r.created_at),
    revokedAt: num(r.revoked_at),
  };
}

const ACCOUNT_COLUMNS = ['sid', 'name', 'role', 'token_hash', 'created_at', 'revoked_at'] as const;

/** How long "no account yet" is believed before the table is looked at again. */
const NONE_ISSUED_TTL_MS = 1_000;

export class TwilioCompatAccountRepository implements TwilioCompatAccountStore {
  private issued = false;
  private noneUntil = 0;

  constructor(private readonly storage: StorageHandle) {}

  async anyIssued(): Promise<boolean> {
    if (this.issued) return true;
    const now = Date.now();
    if (now < this.noneUntil) return false;
    const row = await this.storage.db.selectFrom('twilio_compat_accounts').select('sid').limit(1).executeTakeFirst();
    this.issued = row !== undefined;
    if (!this.issued) this.noneUntil = now + NONE_ISSUED_TTL_MS;
    return this.issued;
  }

  async insert(a: TwilioCompatAccount, authToken: string): Promise<void> {
    await this.storage.writes.run(async (tx) => {
      await tx
        .insertInto('twilio_compat_accounts')
        .values({
          sid: a.sid,
          name: a.name,
          role: a.role,
          token_hash: a.tokenHash,
          auth_token: authToken,
          created_at: a.createdAt,
          revoked_at: a.revokedAt,
        })
        .execute();
    });
    this.issued = true;
  }

  async find(sid: string): Promise<TwilioCompatAccount | null> {
    const row = await this.storage.db
      .selectFrom('twilio_compat_accounts')
      .select(ACCOUNT_COLUMNS)
      .where('sid', '=', sid)
      .executeTakeFirst();
    return row ? accountFromRow(row) : null;
  }

  async list(): Promise<TwilioCompatAccount[]> {
    const rows = await this.storage.db
      .selectFrom('twilio_compat_accounts')
      .select(ACCOUNT_COLUMNS)
      .orderBy('created_at')
      .execute();
    return rows.map(accountFromRow);
  }

  revoke(sid: string, at: number): Promise<boolean> {
    return this.storage.writes.run(async (tx) => {
      const res = await tx
        .updateTable('twilio_compat_accounts')
        .set({ revoked_at: at })
        .where('sid', '=', sid)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    });
  }
}

/** `date_sent`: when a provider first took the message. */
function sentAt(eb: ExpressionBuilder<Database, 'messages'>) {
  return eb
    .selectFrom('message_events as e')
    .select((e) => e.fn.min('e.at').as('at'))
    .whereRef('e.message_id', '=', 'messages.id')
    .where('e.type', '=', 'status')
    .where('e.status', '=', 'sent');
}

export class TwilioCompatMessageRepository implements TwilioCompatMessageStore {
  private readonly registrations = new Coalescer<TwilioCompatRegistration, void>((items) =>
    this.storage.writes.run(async (tx) => {
      const rows = items.map((r) => [r.messageId, r.accountSid, r.statusCallback, r.messagingServiceSid, r.createdAt]);
      await bulkInsert(tx, this.storage.dialect, 'twilio_compat_messages', REGISTRATION_COLUMNS, rows);
      return items.map(() => undefined);
    }),
  );

  constructor(private readonly storage: StorageHandle) {}

  register(registration: TwilioCompatRegistration): Promise<void> {
    return this.registrations.submit(registration);
  }

  unregister(messageId: string): Promise<void> {
    return this.storage.writes.run(async (tx) => {
      await tx.deleteFrom('twilio_compat_messages').where('message_id', '=', messageId).execute();
    });
  }

  async callbacksFor(messageIds: readonly string[]): Promise<TwilioCompatRegistration[]> {
    if (messageIds.length === 0) return [];
    const out: TwilioCompatRegistration[] = [];
    const unique = [...new Set(messageIds)];
    for (let i = 0; i < unique.length; i += 1_024) {
      const rows = await this.storage.db
        .selectFrom('twilio_compat_messages')
        .selectAll()
        .where('message_id', 'in', paddedInList(unique.slice(i, i + 1_024)))
        .where('status_callback', 'is not', null)
        .execute();
      for (const r of rows) {
        out.push({
          messageId: r.message_id,
          accountSid: r.account_sid,
          statusCallback: r.status_callback,
          messagingServiceSid: r.messaging_service_sid,
          createdAt: Number(r.created_at),
        });
      }
    }
    return out;
  }

  private rows() {
    return this.storage.db
      .selectFrom('twilio_compat_messages as r')
      .innerJoin('messages', 'messages.id', 'r.message_id')
      .select((eb) => [
        'messages.id',
        'r.account_sid',
        'r.messaging_service_sid',
        'messages.to',
        'messages.from',
        'messages.body',
        'messages.status',
        'messages.segments',
        'messages.error_code',
        'messages.error_message',
        'messages.price',
        'messages.price_currency',
        'messages.cost',
        'messages.cost_currency',
        'messages.created_at',
        'messages.updated_at',
        sentAt(eb).as('sent_at'),
      ]);
  }

  async get(accountSid: string, messageId: string): Promise<TwilioCompatMessageRow | null> {
    const row = await this.rows()
      .where('r.message_id', '=', messageId)
      .where('r.account_sid', '=', accountSid)
      .executeTakeFirst();
    return row ? messageRow(row) : null;
  }

  async list(f: TwilioCompatListFilter): Promise<TwilioCompatMessageRow[]> {
    let q = this.rows().where('r.account_sid', '=', f.accountSid);
    if (f.to !== undefined) q = q.where('messages.to', '=', f.to);
    if (f.from !== undefined) q = q.where('messages.from', '=', f.from);
    if (f.beforeId !== undefined) q = q.where('r.message_id', '<', f.beforeId);
    if (f.afterId !== undefined) q = q.where('r.message_id', '>', f.afterId);
    if (f.sentFrom !== undefined) {
      const from = f.sentFrom;
      q = q.where((eb) => eb(sentAt(eb), '>=', from));
    }
    if (f.sentBefore !== undefined) {
      const before = f.sentBefore;
      q = q.where((eb) => eb(sentAt(eb), '<', before));
    }
    // Paging backwards takes the nearest rows after the cursor, which means reading upwards from it.
    const order = f.afterId !== undefined ? 'asc' : 'desc';
    const rows = await q.orderBy('r.account_sid', order).orderBy('r.message_id', order).limit(f.limit).execute();
    if (order === 'asc') rows.reverse();
    return rows.map(messageRow);
  }
}

interface JoinedRow {
  id: string;
  account_sid: string;
  messaging_service_sid: string | null;
  to: string;
  from: string | null;
  body: string;
  status: string;
  segments: number;
  error_code: string | null;
  error_message: string | null;
  price: number | null;
  price_currency: string | null;
  cost: number | null;
  cost_currency: string | null;
  created_at: number;
  updated_at: number;
  sent_at: number | string | null;
}

function messageRow(r: JoinedRow): TwilioCompatMessageRow {
  return {
    id: r.id,
    accountSid: r.account_sid,
    messagingServiceSid: r.messaging_service_sid,
    to: r.to,
    from: r.from,
    body: r.body,
    status: r.status as MessageStatus,
    segments: Number(r.segments),
    errorCode: r.error_code,
    errorMessage: r.error_message,
    price: money(r.price, r.price_currency),
    cost: money(r.cost, r.cost_currency),
    sentAt: num(r.sent_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}
