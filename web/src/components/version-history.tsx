/**
 * @module components/version-history
 * Every saved version of a template, newest first; any of them can be loaded back into the editor
 * (it becomes a new version only when saved).
 */
import { formatTime } from '../format';
import { useI18n } from '../i18n';
import type { Template } from '../types';

export function VersionHistory(props: { versions: Template[]; current: number | null; onLoad: (v: Template) => void }) {
  const { t, lang } = useI18n();
  return (
    <section class="panel" aria-labelledby="tpl-history">
      <h2 id="tpl-history">{t('templates.history')}</h2>
      {props.versions.length === 0 ? (
        <p class="muted">{t('templates.noHistory')}</p>
      ) : (
        <ol class="history">
          {props.versions.map((v) => (
            <li key={v.version}>
              <div>
                <strong>v{v.version}</strong> <span class="muted small">{formatTime(v.createdAt, lang)}</span>
                {props.current === v.version ? <span class="badge badge-info">{t('templates.current')}</span> : null}
              </div>
              <p class="small history-body">{v.body}</p>
              <button type="button" class="button-quiet" onClick={() => props.onLoad(v)}>
                {t('templates.loadVersion', { version: v.version })}
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
