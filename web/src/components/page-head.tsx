/**
 * @module components/page-head
 * Every page's heading row: the h1 (focusable, so the shell can move focus to it on navigation
 * and screen readers announce the new page) and whatever the page puts beside it.
 */
import type { ComponentChildren } from 'preact';

export function PageHead({ title, children }: { title: ComponentChildren; children?: ComponentChildren }) {
  return (
    <div class="page-head">
      <h1 tabIndex={-1}>{title}</h1>
      {children}
    </div>
  );
}
