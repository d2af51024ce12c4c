/**
 * @module ports/template-store
 * Where templates live. Saving never overwrites: it adds the next version and makes it current.
 * Deleting retires the name (no new messages can use it) but keeps every version, because sent
 * messages point at them.
 */
import type { TemplateContent, TemplateDefinition } from '../core/template.js';

export interface TemplateStore {
  /** The current version, or null if the name never existed or was deleted. */
  current(name: string): Promise<TemplateDefinition | null>;
  /** One exact version, deleted or not (what a stored message was rendered from). */
  version(name: string, version: number): Promise<TemplateDefinition | null>;
  /** Every version of a name, newest first. */
  history(name: string): Promise<TemplateDefinition[]>;
  /** Current versions of every live template, by name. */
  list(): Promise<TemplateDefinition[]>;
  /** Stores `content` as the next version of `name` and makes it current. */
  save(name: string, content: TemplateContent, at: number): Promise<TemplateDefinition>;
  /** Retires the name; false if there was nothing live to delete. */
  remove(name: string, at: number): Promise<boolean>;
}
