/**
 * @module router
 * Pages live in the URL's hash (`#/messages/msg_…`): the server only ever serves `/`, links can be
 * bookmarked and the back button works, and nothing in the hash is sent to the server.
 */
import { useEffect, useState } from 'preact/hooks';

export const PAGES = [
  'overview',
  'messages',
  'send',
  'templates',
  'experiments',
  'suppressions',
  'providers',
  'webhooks',
  'campaigns',
] as const;
export type PageName = (typeof PAGES)[number];

export interface Route {
  page: PageName;
  /** The second path segment: a message id, a template name (templates, experiments), a webhook id, a campaign id. */
  param: string | null;
}

export function parseHash(hash: string): Route {
  const [first = '', second] = hash.replace(/^#\/?/, '').split('/');
  const page = (PAGES as readonly string[]).includes(first) ? (first as PageName) : 'overview';
  let param: string | null = null;
  if (second) {
    try {
      param = decodeURIComponent(second);
    } catch {
      param = null;
    }
  }
  return { page, param };
}

export function href(page: PageName, param?: string): string {
  return `#/${page}${param ? `/${encodeURIComponent(param)}` : ''}`;
}

export function navigate(page: PageName, param?: string): void {
  window.location.hash = href(page, param);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
