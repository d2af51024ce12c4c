/**
 * @module content/first-name
 * The name to greet someone by, from the full name a caller stores (`first_name` template filter).
 * Messages say "Hi Jane" or "娜娜，您好", and callers rarely keep a separate given-name field.
 *
 * Rules, in order:
 * - Han-only names (spaces ignored) of 2–4 characters: the given name after the surname. The surname
 *   is two characters when the name starts with a known compound surname (欧阳, 司马, 诸葛…, below)
 *   or when the name has four characters (a compound surname we do not list, or a married name such
 *   as 陈方安生); otherwise it is one character. So 李娜 → 娜, 欧阳娜娜 → 娜娜, 诸葛亮 → 亮.
 *   A single-character given name can read curtly; a template that wants the full name uses it as is.
 * - Han names with a middle dot (transliterated foreign names, 约翰·史密斯): the part before the dot.
 * - Other Han strings (1 or 5+ characters) come back unchanged: we cannot tell the parts apart.
 * - Everything else: the first word that is not a title (Mr, Mrs, Dr, Prof…), so "Dr. Jane Smith"
 *   → Jane. A word written all in lower or upper case is capitalised (jane, JANE → Jane; jean-luc →
 *   Jean-Luc); mixed case is kept, since it is deliberate (DeShawn, McKenzie).
 * - Empty, null or non-string input gives the empty string.
 */

const HAN = /^\p{Script=Han}+$/u;
const MIDDLE_DOTS = /[·•・‧]/u;

/** Two-character surnames common enough to matter; a 3-character name starting with one is surname + 1. */
export const COMPOUND_SURNAMES: ReadonlySet<string> = new Set([
  '欧阳',
  '司马',
  '诸葛',
  '上官',
  '司徒',
  '东方',
  '皇甫',
  '令狐',
  '慕容',
  '尉迟',
  '公孙',
  '长孙',
  '宇文',
  '夏侯',
  '端木',
  '独孤',
  '南宫',
  '西门',
  '轩辕',
  '澹台',
  '百里',
  '呼延',
  // Traditional spellings where they differ.
  '歐陽',
  '司馬',
  '諸葛',
  '東方',
  '尉遲',
  '公孫',
  '長孫',
  '獨孤',
  '南宮',
  '西門',
  '軒轅',
  '澹臺',
]);

const TITLES: ReadonlySet<string> = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'prof',
  'professor',
  'sir',
  'dame',
  'lord',
  'lady',
  'rev',
  'revd',
  'fr',
  'hon',
  'capt',
  'mme',
  'mlle',
  'herr',
  'frau',
  'sr',
  'sra',
  'srta',
]);

export function firstName(input: unknown): string {
  if (typeof input !== 'string') return '';
  const name = input.trim();
  if (name === '') return '';
  const compact = name.replace(/\s+/gu, '');
  if (HAN.test(compact)) return givenHanName(compact);
  const dotted = compact.split(MIDDLE_DOTS);
  if (dotted.length > 1 && dotted.every((part) => part === '' || HAN.test(part))) {
    return dotted.find((part) => part !== '') ?? '';
  }
  return firstWord(name);
}

function givenHanName(name: string): string {
  const chars = [...name];
  if (chars.length < 2 || chars.length > 4) return name;
  const surnameLength = chars.length === 4 || COMPOUND_SURNAMES.has(chars[0]! + chars[1]!) ? 2 : 1;
  const given = chars.slice(surnameLength).join('');
  return given === '' ? name : given;
}

function firstWord(name: string): string {
  const words = name.split(/[\s,]+/u).filter((word) => word !== '');
  const word = words.find((w) => !TITLES.has(w.replace(/\.$/u, '').toLowerCase())) ?? words[0] ?? '';
  return word.split('-').map(capitalise).join('-');
}

function capitalise(part: string): string {
  const lower = part.toLowerCase();
  const upper = part.toUpperCase();
  if (part !== lower && part !== upper) return part;
  const [head = '', ...rest] = lower;
  return head.toUpperCase() + rest.join('');
}
