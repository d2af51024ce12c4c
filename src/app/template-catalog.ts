/**
 * @module app/template-catalog
 * Templates ready to render: each version is parsed once and kept, because a version never
 * changes. Which version is current is cached briefly (TEMPLATE_CURRENT_TTL_MS): a save in this
 * process is seen at once (the embedded dispatch thread is told: `onForget`), a save in another
 * process within that time. That keeps the hot accept
 * path free of a database read per message.
 */
import type { TemplateDefinition } from '../core/template.js';
import type { CompiledTemplate, TemplateRenderer } from '../content/template-renderer.js';
import type { Clock } from '../ports/clock.js';
import type { TemplateStore } from '../ports/template-store.js';

export const TEMPLATE_CURRENT_TTL_MS = 2_000;
/** Versions kept parsed; a deployment with more live templates than this re-parses the coldest. */
const MAX_VERSIONS = 2_000;

export interface ReadyTemplate {
  def: TemplateDefinition;
  /** Parsed body for a variant (`''` for the template's own bodies) and locale key. */
  body(variant: string, locale: string): CompiledTemplate;
}

export class TemplateCatalog {
  private readonly versions = new Map<string, ReadyTemplate>();
  private readonly currents = new Map<string, { ready: ReadyTemplate | null; until: number }>();

  constructor(
    private readonly store: TemplateStore,
    private readonly renderer: TemplateRenderer,
    private readonly clock: Clock,
  ) {}

  async current(name: string): Promise<ReadyTemplate | null> {
    const now = this.clock.now();
    const hit = this.currents.get(name);
    if (hit && hit.until > now) return hit.ready;
    const def = await this.store.current(name);
    const ready = def ? this.ready(def) : null;
    this.currents.set(name, { ready, until: now + TEMPLATE_CURRENT_TTL_MS });
    return ready;
  }

  async version(name: string, version: number): Promise<ReadyTemplate | null> {
    const cached = this.versions.get(key(name, version));
    if (cached) return cached;
    const def = await this.store.version(name, version);
    return def ? this.ready(def) : null;
  }

  private readonly forgotten: Array<(name: string) => void> = [];

  /**
   * After a save or delete here, so this process never serves the old current version. `tell`
   * false: the forgetting was itself told by another thread, which need not hear it back.
   */
  forget(name: string, tell = true): void {
    this.currents.delete(name);
    if (tell) for (const listener of this.forgotten) listener(name);
  }

  /** Called with the name after each save or delete here (the embedded dispatch thread's copy forgets it too). */
  onForget(listener: (name: string) => void): void {
    this.forgotten.push(listener);
  }

  private ready(def: TemplateDefinition): ReadyTemplate {
    const k = key(def.name, def.version);
    const cached = this.versions.get(k);
    if (cached) return cached;
    const ready = prepareTemplate(def, this.renderer);
    if (this.versions.size >= MAX_VERSIONS) {
      const oldest = this.versions.keys().next().value;
      if (oldest !== undefined) this.versions.delete(oldest);
    }
    this.versions.set(k, ready);
    return ready;
  }
}

/** A definition ready to render, each body parsed on first use; drafts (never stored) use it too. */
export function prepareTemplate(def: TemplateDefinition, renderer: TemplateRenderer): ReadyTemplate {
  const parsed = new Map<string, CompiledTemplate>();
  return {
    def,
    body(variant, locale) {
      const pk = `${variant}\u0000${locale}`;
      let tpl = parsed.get(pk);
      if (!tpl) {
        const bodies = (variant === '' ? null : def.variants.find((v) => v.name === variant)?.bodies) ?? def.bodies;
        const source = bodies[locale];
        if (source === undefined) throw new Error(`template ${def.name} v${def.version} has no ${locale} body`);
        tpl = renderer.compile(source);
        parsed.set(pk, tpl);
      }
      return tpl;
    },
  };
}

const key = (name: string, version: number): string => `${name}@${version}`;
