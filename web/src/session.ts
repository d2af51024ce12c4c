/**
 * @module session
 * The API key lives in this tab's session storage only: gone when the tab closes, never in a URL,
 * a cookie or local storage, and sent only as an Authorization header to this origin.
 */
const STORAGE_KEY = 'tidings.apiKey';

export function currentKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function keepKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  window.dispatchEvent(new Event('tidings:signed-out'));
}
