/**
 * @module components/language-switch
 * One button that offers the other language, named in that language (中文 / English), so a reader
 * who cannot read the current one can still find it.
 */
import { useI18n } from '../i18n';

export function LanguageSwitch() {
  const { lang, setLang } = useI18n();
  const other = lang === 'zh' ? 'en' : 'zh';
  return (
    <button type="button" class="button-quiet" lang={other === 'zh' ? 'zh-CN' : 'en'} onClick={() => setLang(other)}>
      {other === 'zh' ? '中文' : 'English'}
    </button>
  );
}
