import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../ports/provider.js';
import { plainMail, SUBJECT_LENGTH, subjectOf } from './mail.js';

const msg = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({
  id: 'msg_01HX',
  channel: 'email',
  to: 'jane@example.org',
  from: null,
  body: 'Your appointment is tomorrow at 10:00.',
  encoding: 'GSM-7',
  segments: 1,
  attempt: 1,
  ...over,
});

describe('subjectOf', () => {
  it('uses the message subject, on one line', () => {
    expect(subjectOf({ subject: '  Reminder:\r\n tomorrow\t', body: 'x' })).toBe('Reminder: tomorrow');
  });

  it('else the first non-blank line of the body, cut to 60 characters with an ellipsis', () => {
    expect(subjectOf({ subject: null, body: '\n\n  Hello Zoë  \nsecond line' })).toBe('Hello Zoë');
    const long = `${'你'.repeat(70)}\nrest`;
    const subject = subjectOf({ subject: '', body: long });
    expect(Array.from(subject)).toHaveLength(SUBJECT_LENGTH);
    expect(subject.endsWith('…')).toBe(true);
    expect(subjectOf({ subject: null, body: 'x'.repeat(60) })).toBe('x'.repeat(60));
    expect(subjectOf({ subject: null, body: ' \n ' })).toBe('');
  });
});

describe('plainMail', () => {
  it('sends from the configured sender, with our own Message-ID on the sender’s domain', () => {
    expect(plainMail(msg(), 'Tidings <noreply@example.com>', 'noreply@example.com')).toEqual({
      from: 'Tidings <noreply@example.com>',
      to: 'jane@example.org',
      subject: 'Your appointment is tomorrow at 10:00.',
      text: 'Your appointment is tomorrow at 10:00.',
      messageId: '<msg_01HX@example.com>',
    });
  });

  it('takes the message’s own sender only when it is an address', () => {
    expect(plainMail(msg({ from: 'Ops <ops@other.example>' }), 'a@example.com', 'a@example.com')).toMatchObject({
      from: 'Ops <ops@other.example>',
      messageId: '<msg_01HX@other.example>',
    });
    expect(plainMail(msg({ from: 'Tidings' }), 'a@example.com', 'a@example.com').from).toBe('a@example.com');
    expect(plainMail(msg({ from: 'x@y@z' }), 'a@example.com', 'a@example.com').from).toBe('a@example.com');
  });

  it('makes any id a valid Message-ID left part', () => {
    expect(plainMail(msg({ id: 'a b<c>@d.' }), 'a@example.com', 'a@example.com').messageId).toBe(
      '<a-b-c--d@example.com>',
    );
  });
});
