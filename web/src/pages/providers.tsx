/**
 * @module pages/providers
 * Where traffic goes: each configured provider (its URL with secrets masked, as the API prints
 * it), its circuit state, error rate and latency over recent sends, and the routing table.
 */
import { api } from '../api';
import { ErrorNote } from '../components/error-note';
import { StatusBadge } from '../components/status-badge';
import { TableWrap } from '../components/table-wrap';
import { formatMs, formatNumber, formatPercent } from '../format';
import { usePolled } from '../hooks';
import { useI18n } from '../i18n';
import type { ProviderView, Routing } from '../types';
import { PageHead } from '../components/page-head';

export function Providers() {
  const { t, lang } = useI18n();
  const { data: view, error } = usePolled(
    (signal) => api<{ data: ProviderView[]; routing: Routing }>('GET', '/v1/providers', undefined, { signal }),
    5_000,
    [],
  );

  return (
    <>
      <PageHead title={t('nav.providers')} />
      <ErrorNote error={error} />
      {view ? (
        <>
          <section class="panel" aria-labelledby="prov-list">
            <h2 id="prov-list">{t('providers.configured')}</h2>
            <TableWrap label={t('providers.configured')}>
              <table class="data">
                <thead>
                  <tr>
                    <th scope="col">{t('providers.provider')}</th>
                    <th scope="col">{t('providers.channel')}</th>
                    <th scope="col">{t('providers.config')}</th>
                    <th scope="col">{t('providers.state')}</th>
                    <th scope="col" class="num">
                      {t('providers.errorRate')}
                    </th>
                    <th scope="col" class="num">
                      {t('providers.p50')}
                    </th>
                    <th scope="col" class="num">
                      {t('providers.p95')}
                    </th>
                    <th scope="col" class="num">
                      {t('providers.recentSends')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {view.data.map((p) => (
                    <tr key={p.id} data-provider={p.id}>
                      <th scope="row">{p.id}</th>
                      <td>{p.channel}</td>
                      <td>
                        <code class="wrap">{p.config}</code>
                      </td>
                      <td>
                        <StatusBadge status={p.state} />
                      </td>
                      <td class="num">{formatPercent(p.errorRate, lang)}</td>
                      <td class="num">{formatMs(p.latencyP50Ms === null ? null : Math.round(p.latencyP50Ms), lang)}</td>
                      <td class="num">{formatMs(p.latencyP95Ms === null ? null : Math.round(p.latencyP95Ms), lang)}</td>
                      <td class="num">{formatNumber(p.recentSends, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
            <p class="hint">{t('providers.stateHint')}</p>
          </section>

          <section class="panel" aria-labelledby="prov-routing">
            <h2 id="prov-routing">{t('providers.routing')}</h2>
            {view.routing.routes.length === 0 ? (
              <p class="muted">{t('providers.defaultRouting')}</p>
            ) : (
              <TableWrap label={t('providers.routing')}>
                <table class="data">
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">{t('providers.channel')}</th>
                      <th scope="col">{t('providers.countries')}</th>
                      <th scope="col">{t('providers.order')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.routing.routes.map((r, i) => (
                      <tr key={i}>
                        <td>{i + 1}</td>
                        <td>{r.channel ?? t('providers.anyChannel')}</td>
                        <td>{r.countries ? r.countries.join(', ') : t('providers.anyCountry')}</td>
                        <td>
                          {r.providers
                            .map((p) => (p.weight === null ? p.id : `${p.id} (${t('providers.weight')} ${p.weight})`))
                            .join(' → ')}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
            {Object.keys(view.routing.senders).length > 0 ? (
              <>
                <h3>{t('providers.senders')}</h3>
                <ul>
                  {Object.entries(view.routing.senders).map(([id, n]) => (
                    <li key={id}>{t('providers.senderPool', { id, n })}</li>
                  ))}
                </ul>
              </>
            ) : null}
          </section>
        </>
      ) : error ? null : (
        <p class="muted">{t('common.loading')}</p>
      )}
    </>
  );
}
