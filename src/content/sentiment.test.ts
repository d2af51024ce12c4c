import { describe, expect, it } from 'vitest';
import { analyzeSentiment } from './sentiment.js';

describe('analyzeSentiment', () => {
  it.each([
    ['This is terrible, I hate waiting', 'negative'],
    ['Great, thanks so much!', 'positive'],
    ['ok', 'neutral'],
    ['See you at 7', 'neutral'],
    ['服务太差了，非常失望', 'negative'],
    ['我很生气，再也不来了', 'negative'],
    ['谢谢，非常好', 'positive'],
    ['太棒了，感谢', 'positive'],
    ['好的', 'neutral'],
    ['收到', 'neutral'],
  ])('%j is %s', (text, label) => {
    expect(analyzeSentiment(text).label).toBe(label);
  });

  it('says which words carried the score', () => {
    expect(analyzeSentiment('awful, just awful').words).toContain('awful');
  });
});
