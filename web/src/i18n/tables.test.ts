import { describe, expect, it } from 'vitest';
import { en } from './en';
import { zh } from './zh';

const params = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('interface text tables', () => {
  it('have the same keys in both languages, none empty', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of [...Object.entries(en), ...Object.entries(zh)]) expect(text.trim(), key).not.toBe('');
  });

  it('use the same parameters in both languages', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) expect(params(zh[key]), key).toEqual(params(en[key]));
  });

  it('really translate: a Chinese string is not the English one', () => {
    // Names that are the same in both (URL, Webhook) are few; most strings must differ.
    const same = (Object.keys(en) as (keyof typeof en)[]).filter((k) => zh[k] === en[k]);
    expect(same.length).toBeLessThan(5);
  });
});
