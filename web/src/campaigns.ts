/**
 * @module campaigns
 * The campaigns API's shapes as the dashboard reads them, and the two facts the pages derive from
 * them: how far a campaign has come, and which actions its status allows (the same rules as the
 * server's core/campaign.ts `nextStatus`, so a button never offers what the API would refuse).
 */
export type CampaignStatus = 'draft' | 'scheduled' | 'running' | 'paused' | 'cancelled' | 'completed';
export type CampaignAction = 'start' | 'pause' | 'resume' | 'cancel';

export interface CampaignRecipients {
  rowsRead: number;
  total: number;
  pending: number;
  accepted: number;
  refused: number;
  cancelled: number;
  duplicates: number;
  invalid: number;
}

export interface Campaign {
  id: string;
  name: string;
  status: CampaignStatus;
  template: string;
  rate: number;
  window: { start: string; end: string; timezone?: string } | null;
  startAt: string | null;
  recipients: CampaignRecipients;
  /** Messages by status; only on GET /v1/campaigns/{id}. */
  messages?: Record<string, number>;
  progress: { currentRate: number | null; etaSeconds: number | null; eta: string | null };
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface Rejection {
  row: number;
  line: number | null;
  code: string;
  reason: string;
}

/** A campaign's statuses after which nothing changes: polling can slow down. */
export const FINISHED_CAMPAIGN: ReadonlySet<CampaignStatus> = new Set(['completed', 'cancelled']);

export interface CampaignProgress {
  /** Rows the runner is done with: made into a message, refused at sending, or cancelled. */
  done: number;
  total: number;
  /** 0..1; a campaign without recipients is at 0 until it completes. */
  ratio: number;
}

export function campaignProgress(c: Pick<Campaign, 'status' | 'recipients'>): CampaignProgress {
  const { total, pending } = c.recipients;
  const done = Math.max(0, total - pending);
  const ratio = total > 0 ? Math.min(1, done / total) : c.status === 'completed' ? 1 : 0;
  return { done, total, ratio };
}

/** The actions offered for a status, in the order the buttons show. */
export function allowedActions(status: CampaignStatus): CampaignAction[] {
  switch (status) {
    case 'draft':
      return ['start', 'cancel'];
    case 'running':
    case 'scheduled':
      return ['pause', 'cancel'];
    case 'paused':
      return ['resume', 'cancel'];
    case 'completed':
    case 'cancelled':
      return [];
  }
}

export interface DurationUnits {
  h: string;
  min: string;
  s: string;
}
const ENGLISH_UNITS: DurationUnits = { h: 'h', min: 'min', s: 's' };

/** Seconds as "1 h 5 min", "3 min 20 s", "45 s": an ETA needs no more precision. */
export function formatDuration(seconds: number | null, u: DurationUnits = ENGLISH_UNITS): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h} ${u.h} ${m} ${u.min}`;
  if (m > 0) return `${m} ${u.min} ${s % 60} ${u.s}`;
  return `${s} ${u.s}`;
}
