/**
 * @module components/table-wrap
 * Wide tables scroll sideways on a phone instead of squeezing; the scrolling region is focusable
 * and named so keyboard users can scroll it too.
 */
import type { ComponentChildren } from 'preact';

export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
