/**
 * @module core/keywords
 * What a whole reply means when it is a keyword: opt out, opt back in, or ask for help. Matching
 * is on the whole message after trimming and folding case and width (`ｓｔｏｐ`, ` Stop. `), so
 * "stop by at 5" is a reply, not an opt-out. Defaults follow the carriers (CTIA's STOP list, the
 * Chinese carriers' 退订/TD/T) and can be replaced per deployment and per country.
 */
export type KeywordAction = 'opt_out' | 'opt_in' | 'help';

export interface KeywordSet {
  optOut: readonly string[];
  optIn: readonly string[];
  help: readonly string[];
}

export interface KeywordRules extends KeywordSet {
  /** ISO country of the replying number → keywords that replace the defaults there. */
  countries: Readonly<Record<string, Partial<KeywordSet>>>;
}

export const DEFAULT_KEYWORDS: KeywordRules = {
  optOut: ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'END', 'QUIT', 'CANCEL', 'OPTOUT', 'REVOKE', 'TD', 'T', '退订', '取消'],
  optIn: ['START', 'YES', 'UNSTOP'],
  help: ['HELP', 'INFO'],
  countries: {},
};

/** Trim, NFKC (full-width to ASCII), upper case, and drop trailing punctuation people add ("Stop!"). */
export function foldReply(text: string): string {
  return text
    .normalize('NFKC')
    .trim()
    .replace(/[\s.!?。！？,，~～]+$/u, '')
    .replace(/\s+/gu, ' ')
    .toUpperCase();
}

export function keywordAction(rules: KeywordRules, text: string, country: string | null): KeywordAction | null {
  const folded = foldReply(text);
  if (folded === '') return null;
  const local = country === null ? undefined : rules.countries[country];
  const set = (k: keyof KeywordSet): readonly string[] => local?.[k] ?? rules[k];
  if (set('optOut').some((w) => foldReply(w) === folded)) return 'opt_out';
  if (set('optIn').some((w) => foldReply(w) === folded)) return 'opt_in';
  if (set('help').some((w) => foldReply(w) === folded)) return 'help';
  return null;
}

/**
 * The intent a template expects a reply to carry (`confirm: ["1", "Y", "确认"]`), matched on the
 * whole folded reply like keywords. The first intent in declaration order wins.
 */
export function replyIntent(intents: Readonly<Record<string, readonly string[]>>, text: string): string | null {
  const folded = foldReply(text);
  if (folded === '') return null;
  for (const [intent, replies] of Object.entries(intents)) {
    if (replies.some((r) => foldReply(r) === folded)) return intent;
  }
  return null;
}

/** The automatic answers to keywords, in the two languages Tidings replies in. */
export interface AutoReplies {
  optOut: { en: string; zh: string };
  optIn: { en: string; zh: string };
  help: { en: string; zh: string };
}

export const DEFAULT_AUTO_REPLIES: AutoReplies = {
  optOut: {
    en: 'You are unsubscribed and will get no more messages from us. Reply START to subscribe again.',
    zh: '您已成功退订，将不再收到我们的短信。回复START可重新订阅。',
  },
  optIn: {
    en: 'You are subscribed again. Reply STOP to unsubscribe, HELP for help.',
    zh: '您已重新订阅。回复TD退订，回复HELP获取帮助。',
  },
  help: {
    en: 'Reply STOP to unsubscribe, START to subscribe again.',
    zh: '回复TD或退订即可退订，回复START重新订阅。',
  },
};
