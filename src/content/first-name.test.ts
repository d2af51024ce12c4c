import { describe, expect, it } from 'vitest';
import { firstName } from './first-name.js';

describe('firstName', () => {
  it.each([
    ['Jane Smith', 'Jane'],
    ['jane smith', 'Jane'],
    ['JANE SMITH', 'Jane'],
    ['  Jane   Smith ', 'Jane'],
    ['Dr. Jane Smith', 'Jane'],
    ['dr jane smith', 'Jane'],
    ['Mrs. Ann Lee', 'Ann'],
    ['Prof. Dr. Hans Müller', 'Hans'],
    ['Ms Émilie Durand', 'Émilie'],
    ['jean-luc picard', 'Jean-Luc'],
    ['DeShawn Jones', 'DeShawn'],
    ['Madonna', 'Madonna'],
    ['Dr.', 'Dr.'],
  ])('Latin: %s → %s', (name, expected) => {
    expect(firstName(name)).toBe(expected);
  });

  it.each([
    ['李娜', '娜'],
    ['王小明', '小明'],
    ['张 伟', '伟'],
    ['欧阳娜娜', '娜娜'],
    ['欧阳修', '修'],
    ['司马光', '光'],
    ['诸葛亮', '亮'],
    ['上官婉儿', '婉儿'],
    ['司徒雷登', '雷登'],
    ['东方朔', '朔'],
    ['皇甫嵩', '嵩'],
    ['令狐冲', '冲'],
    ['慕容复', '复'],
    ['尉迟恭', '恭'],
    ['公孙策', '策'],
    ['长孙无忌', '无忌'],
    ['宇文泰', '泰'],
    ['夏侯惇', '惇'],
    ['歐陽修', '修'],
    // Four characters without a listed compound surname: a two-character surname.
    ['陈方安生', '安生'],
    // A compound surname on its own is all there is.
    ['欧阳', '欧阳'],
  ])('Chinese: %s → %s', (name, expected) => {
    expect(firstName(name)).toBe(expected);
  });

  it('takes the first part of a transliterated name', () => {
    expect(firstName('约翰·史密斯')).toBe('约翰');
  });

  it.each(['李', '爱新觉罗溥仪'])('returns a Han name it cannot split unchanged: %s', (name) => {
    expect(firstName(name)).toBe(name);
  });

  it.each(['', '   ', null, undefined, 42, {}])('gives empty for %j', (input) => {
    expect(firstName(input)).toBe('');
  });
});
