import { describe, expect, it } from 'vitest';
import { allowedActions, campaignProgress, formatDuration, type CampaignRecipients } from './campaigns';

const recipients = (total: number, pending: number): CampaignRecipients => ({
  rowsRead: total,
  total,
  pending,
  accepted: total - pending,
  refused: 0,
  cancelled: 0,
  duplicates: 0,
  invalid: 0,
});

describe('campaign progress', () => {
  it('counts every row no longer pending as done', () => {
    expect(campaignProgress({ status: 'running', recipients: recipients(8, 6) })).toEqual({
      done: 2,
      total: 8,
      ratio: 0.25,
    });
  });

  it('is empty for a campaign without recipients until it completes, then full', () => {
    expect(campaignProgress({ status: 'draft', recipients: recipients(0, 0) }).ratio).toBe(0);
    expect(campaignProgress({ status: 'completed', recipients: recipients(0, 0) }).ratio).toBe(1);
  });
});

describe('campaign actions', () => {
  it('offers only what the lifecycle allows', () => {
    expect(allowedActions('draft')).toEqual(['start', 'cancel']);
    expect(allowedActions('running')).toEqual(['pause', 'cancel']);
    expect(allowedActions('scheduled')).toEqual(['pause', 'cancel']);
    expect(allowedActions('paused')).toEqual(['resume', 'cancel']);
    expect(allowedActions('completed')).toEqual([]);
    expect(allowedActions('cancelled')).toEqual([]);
  });
});

describe('durations', () => {
  it('rounds to what a reader needs', () => {
    expect(formatDuration(45.4)).toBe('45 s');
    expect(formatDuration(200)).toBe('3 min 20 s');
    expect(formatDuration(3900)).toBe('1 h 5 min');
    expect(formatDuration(null)).toBeNull();
    expect(formatDuration(-1)).toBeNull();
  });
});
