/**
 * @module app
 * The console's frame: sign-in until the tab holds a key, then the navigation, the language
 * switch and the current page. The page's heading takes focus on navigation so screen readers
 * announce where the reader is, as a full page load would.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { I18n, initialLang, rememberLang, translator, useI18n, type Lang } from './i18n';
import { LanguageSwitch } from './components/language-switch';
import { PAGES, href, useRoute, type PageName } from './router';
import { currentKey, forgetKey } from './session';
import { SignIn } from './pages/sign-in';
import { Overview } from './pages/overview';
import { Messages } from './pages/messages';
import { MessageDetail } from './pages/message-detail';
import { Send } from './pages/send';
import { Templates } from './pages/templates';
import { Experiments } from './pages/experiments';
import { Suppressions } from './pages/suppressions';
import { Providers } from './pages/providers';
import { Webhooks } from './pages/webhooks';
import { Campaigns } from './pages/campaigns';
import { CampaignDetail } from './pages/campaign-detail';

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [signedIn, setSignedIn] = useState(() => currentKey() !== null);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    rememberLang(lang);
  }, [lang]);
  useEffect(() => {
    const out = () => setSignedIn(false);
    window.addEventListener('tidings:signed-out', out);
    return () => window.removeEventListener('tidings:signed-out', out);
  }, []);
  const i18n = useMemo(() => ({ lang, t: translator(lang), setLang }), [lang]);
  return (
    <I18n.Provider value={i18n}>{signedIn ? <Shell /> : <SignIn onSignedIn={() => setSignedIn(true)} />}</I18n.Provider>
  );
}

function pageView(page: PageName, param: string | null) {
  switch (page) {
    case 'overview':
      return <Overview />;
    case 'messages':
      return param ? <MessageDetail id={param} /> : <Messages />;
    case 'send':
      return <Send />;
    case 'templates':
      return <Templates selected={param} />;
    case 'experiments':
      return <Experiments selected={param} />;
    case 'suppressions':
      return <Suppressions />;
    case 'providers':
      return <Providers />;
    case 'webhooks':
      return <Webhooks selected={param} />;
    case 'campaigns':
      return param ? <CampaignDetail id={param} /> : <Campaigns />;
  }
}

function Shell() {
  const { t } = useI18n();
  const route = useRoute();
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    setMenuOpen(false);
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [route.page, route.param]);
  useEffect(() => {
    document.title = `${t(`nav.${route.page}`)} · Tidings`;
  }, [route.page, t]);

  return (
    <>
      <a class="skip-link" href="#main" onClick={skipToMain}>
        {t('shell.skip')}
      </a>
      <header class="topbar">
        <a class="brand" href={href('overview')}>
          <img src="/favicon.svg" alt="" width="24" height="24" />
          <span>Tidings</span>
        </a>
        <button
          type="button"
          class="menu-toggle button-quiet"
          aria-expanded={menuOpen}
          aria-controls="site-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          {t('shell.menu')}
        </button>
        <nav id="site-nav" class={menuOpen ? 'nav open' : 'nav'} aria-label={t('shell.navLabel')}>
          <ul>
            {PAGES.map((p) => (
              <li key={p}>
                <a
                  href={href(p)}
                  aria-current={route.page === p ? 'page' : undefined}
                  onClick={() => setMenuOpen(false)}
                >
                  {t(`nav.${p}`)}
                </a>
              </li>
            ))}
          </ul>
          <div class="nav-tools">
            <LanguageSwitch />
            <button type="button" class="button-quiet" onClick={forgetKey}>
              {t('shell.signOut')}
            </button>
          </div>
        </nav>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {pageView(route.page, route.param)}
      </main>
    </>
  );
}

/** The skip link must not change the hash: the hash is the router's. */
function skipToMain(e: Event) {
  e.preventDefault();
  document.getElementById('main')?.focus();
}
