/**
 * @module ports/campaign-store
 * Where campaigns and their recipients live. Rows are numbered by the store as they arrive, so
 * appends from several uploads never share a number, and `(campaign, to)` is unique, which is the
 * de-duplication. Runners take rows with a lease, so two runners never hold the same row, and a
 * runner that dies hands its rows back when the lease runs out.
 */
import type { CampaignStatus, CampaignWindow, RecipientStatus } from '../core/campaign.js';
import type { Channel, MessageStatus, Purpose } from '../core/message.js';

export interface CampaignCounts {
  /** Rows numbered so far, good and bad. */
  rowsRead: number;
  recipients: number;
  duplicates: number;
  invalid: number;
  accepted: number;
  refused: number;
  cancelled: number;
}

export interface Campaign {
  id: string;
  name: string;
  status: CampaignStatus;
  template: string;
  locale: string | null;
  data: Record<string, unknown> | null;
  purpose: Purpose;
  from: string | null;
  channel: Channel;
  rate: number;
  window: CampaignWindow | null;
  startAt: number | null;
  counts: CampaignCounts;
  apiKeyId: string | null;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export type NewCampaign = Omit<Campaign, 'counts' | 'updatedAt' | 'startedAt' | 'finishedAt'>;

/** One record of an upload, in file order: a recipient to add, or why the record was refused. */
export type ImportEntry =
  | { kind: 'recipient'; line: number | null; to: string; data: Record<string, string> | null }
  | { kind: 'rejection'; line: number | null; code: string; reason: string };

export interface RowRejection {
  row: number;
  line: number | null;
  code: string;
  reason: string;
}

export interface AppendOutcome {
  added: number;
  duplicates: number;
  /** Every refused record of the batch, duplicates included, with the row numbers they got. */
  rejections: RowRejection[];
}

export interface ClaimedRow {
  row: number;
  to: string;
  data: Record<string, string> | null;
  /** How often a runner took it before: above zero, a message may already exist for it. */
  claims: number;
}

export type RowOutcome =
  | { row: number; status: 'accepted'; messageId: string }
  | { row: number; status: 'refused'; code: string; reason: string };

export interface CampaignStore {
  create(c: NewCampaign): Promise<void>;
  get(id: string): Promise<Campaign | null>;
  list(opts: { before?: string; limit: number }): Promise<Campaign[]>;
  /** Moves the campaign from one of `from` to `to`; false when its status was not one of them. */
  transition(id: string, from: readonly CampaignStatus[], to: CampaignStatus, at: number): Promise<boolean>;
  /** Numbers and stores a batch of records; only while the campaign is a draft or paused. */
  append(id: string, entries: ImportEntry[], at: number): Promise<AppendOutcome | 'closed'>;
  /** Campaigns that are running, or scheduled and due. */
  active(now: number): Promise<Campaign[]>;
  /**
   * Takes up to `max` due rows of a running campaign under a lease, as many as its pace allows
   * now, and moves its pace on by what it took. Empty when paused, cancelled or not yet due.
   */
  claim(id: string, opts: { now: number; max: number; leaseMs: number }): Promise<ClaimedRow[]>;
  /** Records what became of claimed rows; a row already settled is left as it is. */
  settle(id: string, outcomes: RowOutcome[], at: number): Promise<void>;
  /** Hands claimed rows back, due at `dueAt` (outside the recipient's window until then). */
  defer(id: string, rows: number[], dueAt: number): Promise<void>;
  /** Marks a running campaign completed when no row is pending any more. */
  completeIfDone(id: string, at: number): Promise<boolean>;
  /** Cancels the rows still pending; returns how many. */
  cancelPending(id: string, at: number): Promise<number>;
  /** The campaign's messages by status, from the (campaign_id, status) index. */
  messageCounts(id: string): Promise<Partial<Record<MessageStatus, number>>>;
  rejections(id: string, opts: { afterRow?: number; limit: number }): Promise<RowRejection[]>;
  recipientStatus(id: string, row: number): Promise<RecipientStatus | null>;
}
