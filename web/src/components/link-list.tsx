/**
 * @module components/link-list
 * A page's list of things to pick (templates, experiments, webhook endpoints): each a link to its
 * own view, the chosen one marked as the current page, with a note and an optional action beside
 * it. Until the list has loaded it says so, and an empty list says what to do instead.
 */
import type { ComponentChildren } from 'preact';
import { useI18n } from '../i18n';

export interface LinkItem {
  key: string;
  href: string;
  label: ComponentChildren;
  current: boolean;
  note?: ComponentChildren;
  action?: ComponentChildren;
}

export function LinkList({ items, empty }: { items: LinkItem[] | null; empty: ComponentChildren }) {
  const { t } = useI18n();
  if (items === null) return <p class="muted">{t('common.loading')}</p>;
  if (items.length === 0) return <p class="muted">{empty}</p>;
  return (
    <ul class="link-list">
      {items.map((x) => (
        <li key={x.key}>
          <a href={x.href} aria-current={x.current ? 'page' : undefined}>
            {x.label}
          </a>
          {x.note ? <span class="muted small">{x.note}</span> : null}
          {x.action}
        </li>
      ))}
    </ul>
  );
}
