import { describe, expect, it } from 'vitest';
import { DEFAULT_KEYWORDS, keywordAction, replyIntent, type KeywordRules } from './keywords.js';

describe('keywordAction', () => {
  const matrix: [string, ReturnType<typeof keywordAction>][] = [
    ['STOP', 'opt_out'],
    ['stop', 'opt_out'],
    ['  Stop!  ', 'opt_out'],
    ['ＳＴＯＰ', 'opt_out'],
    ['StopAll', 'opt_out'],
    ['unsubscribe', 'opt_out'],
    ['end', 'opt_out'],
    ['Quit.', 'opt_out'],
    ['cancel', 'opt_out'],
    ['OPTOUT', 'opt_out'],
    ['revoke', 'opt_out'],
    ['td', 'opt_out'],
    ['T', 'opt_out'],
    ['退订', 'opt_out'],
    [' 退订。', 'opt_out'],
    ['取消', 'opt_out'],
    ['start', 'opt_in'],
    ['Yes', 'opt_in'],
    ['UNSTOP', 'opt_in'],
    ['help', 'help'],
    ['Info?', 'help'],
    ['stop by at 5', null],
    ['please stop texting me', null],
    ['1', null],
    ['', null],
    ['   ', null],
    ['退订短信', null],
  ];
  it.each(matrix)('%j → %s', (text, action) => {
    expect(keywordAction(DEFAULT_KEYWORDS, text, null)).toBe(action);
  });

  it('lets a country replace a default list', () => {
    const rules: KeywordRules = { ...DEFAULT_KEYWORDS, countries: { CN: { optOut: ['退订', 'TD', 'T'] } } };
    expect(keywordAction(rules, '取消', 'CN')).toBeNull();
    expect(keywordAction(rules, '取消', 'US')).toBe('opt_out');
    expect(keywordAction(rules, 'TD', 'CN')).toBe('opt_out');
    expect(keywordAction(rules, 'HELP', 'CN')).toBe('help');
  });
});

describe('replyIntent', () => {
  const intents = { confirm: ['1', 'Y', 'yes', '确认'], cancel: ['2', 'N', '取消预约'] };
  it.each([
    ['1', 'confirm'],
    [' y ', 'confirm'],
    ['确认', 'confirm'],
    ['２', 'cancel'],
    ['n', 'cancel'],
    ['取消预约', 'cancel'],
    ['maybe', null],
    ['1 or 2', null],
  ])('%j → %s', (text, intent) => {
    expect(replyIntent(intents, text)).toBe(intent);
  });
});
