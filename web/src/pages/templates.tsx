/**
 * @module pages/templates
 * The template list, and the editor of the one chosen (#/templates/<name>). A new template starts
 * as a name: it exists once it is first saved.
 */
import { useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNote } from '../components/error-note';
import { TemplateEditor } from '../components/template-editor';
import { formatTime } from '../format';
import { useLoaded } from '../hooks';
import { useI18n } from '../i18n';
import { href, navigate } from '../router';
import type { Template } from '../types';
import { PageHead } from '../components/page-head';
import { LinkList } from '../components/link-list';

const NAME = /^[a-z0-9][a-z0-9_.-]{0,99}$/i;

export function Templates({ selected }: { selected: string | null }) {
  const { t, lang } = useI18n();
  const [newName, setNewName] = useState('');
  const [nameError, setNameError] = useState(false);
  const [generation, setGeneration] = useState(0);

  const loaded = useLoaded(() => api<{ data: Template[] }>('GET', '/v1/templates'), [generation]);
  const list = loaded.data?.data ?? null;
  const error = loaded.error;

  return (
    <>
      <PageHead title={selected ? `${t('nav.templates')}: ${selected}` : t('nav.templates')} />
      <ErrorNote error={error} />
      <div class="sidebar-layout">
        <aside class="panel" aria-labelledby="tpl-list">
          <h2 id="tpl-list">{t('templates.all')}</h2>
          <LinkList
            empty={t('templates.none')}
            items={
              list?.map((x) => ({
                key: x.name,
                href: href('templates', x.name),
                current: x.name === selected,
                label: (
                  <>
                    <strong>{x.name}</strong> <span class="muted small">v{x.version}</span>
                  </>
                ),
                note: formatTime(x.createdAt, lang),
              })) ?? null
            }
          />
          <form
            class="stack"
            onSubmit={(e) => {
              e.preventDefault();
              const name = newName.trim();
              if (!NAME.test(name)) {
                setNameError(true);
                return;
              }
              setNameError(false);
              setNewName('');
              navigate('templates', name);
            }}
          >
            <div class="field">
              <label for="tpl-new">{t('templates.newName')}</label>
              <input
                id="tpl-new"
                value={newName}
                onInput={(e) => setNewName(e.currentTarget.value)}
                aria-invalid={nameError}
                aria-describedby="tpl-new-hint"
              />
              <span id="tpl-new-hint" class={nameError ? 'hint hint-error' : 'hint'}>
                {t('templates.nameRule')}
              </span>
            </div>
            <button type="submit" class="button">
              {t('templates.create')}
            </button>
          </form>
        </aside>
        <div>
          {selected ? (
            <TemplateEditor key={selected} name={selected} onSaved={() => setGeneration((g) => g + 1)} />
          ) : (
            <p class="muted panel">{t('templates.pick')}</p>
          )}
        </div>
      </div>
    </>
  );
}
