/**
 * @module pages/sign-in
 * Sign in with an API key. The key is checked against the API before it is kept, and kept only in
 * this tab's session storage. The form posts nowhere: if script failed, a GET form would have put
 * the key in the URL, so it is a POST to this same page, and script handles it.
 */
import { useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNote } from '../components/error-note';
import { LanguageSwitch } from '../components/language-switch';
import { useI18n } from '../i18n';
import { keepKey } from '../session';

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const { t } = useI18n();
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    const candidate = key.trim();
    if (!candidate) return;
    setBusy(true);
    setError(null);
    try {
      // Any role may read the provider list: a cheap way to ask "is this key good?".
      await api('GET', '/v1/providers', undefined, { key: candidate });
      keepKey(candidate);
      setKey('');
      onSignedIn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" class="sign-in">
      <div class="sign-in-card">
        <div class="sign-in-top">
          <h1>{t('signIn.title')}</h1>
          <LanguageSwitch />
        </div>
        <p>{t('signIn.intro')}</p>
        <form method="post" action="/" onSubmit={submit}>
          <label for="api-key">{t('signIn.key')}</label>
          <input
            id="api-key"
            name="api-key"
            type="password"
            autoComplete="off"
            spellcheck={false}
            required
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
            aria-describedby="api-key-hint"
          />
          <p id="api-key-hint" class="hint">
            {t('signIn.hint')}
          </p>
          <ErrorNote error={error} />
          <button type="submit" class="button-primary" disabled={busy}>
            {busy ? t('signIn.checking') : t('signIn.submit')}
          </button>
        </form>
      </div>
    </main>
  );
}
