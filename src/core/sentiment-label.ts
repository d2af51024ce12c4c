/**
 * @module core/sentiment-label
 * The mood of a free-text reply, as stored and reported: enough to flag unhappy customers.
 */
export type SentimentLabel = 'negative' | 'neutral' | 'positive';
