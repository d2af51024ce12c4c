/**
 * @module components/rate-chart
 * Each variant's rate as a bar with its 95 % interval as a whisker, on a shared scale, so
 * overlapping intervals (no clear difference) are visible at a glance. Drawn as SVG with HTML
 * labels that keep their size on a phone. The numbers are in the table beside it; screen readers
 * get the figure's caption instead of the drawing.
 */
import { formatPercent } from '../format';
import { useI18n } from '../i18n';

export interface RateBar {
  label: string;
  rate: number | null;
  interval: [number, number] | null;
  control: boolean;
}

const WIDTH = 100;
const HEIGHT = 10;

/** The scale's top: the widest interval's end, rounded up to a tidy percentage. */
function scaleMax(bars: RateBar[]): number {
  const top = Math.max(0.01, ...bars.map((b) => b.interval?.[1] ?? b.rate ?? 0));
  const step = top > 0.2 ? 0.1 : top > 0.05 ? 0.05 : 0.01;
  return Math.min(1, Math.ceil(top / step) * step);
}

export function RateChart({ bars, caption }: { bars: RateBar[]; caption: string }) {
  const { t, lang } = useI18n();
  const max = scaleMax(bars);
  const x = (v: number) => (Math.min(v, max) / max) * WIDTH;
  return (
    <figure class="chart rate-chart">
      <div class="rate-rows" aria-hidden="true">
        {bars.map((b) => (
          <div class="rate-row" key={b.label}>
            <span class="rate-label">{b.label}</span>
            <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none">
              {b.rate === null ? null : (
                <rect
                  x="0"
                  y="2"
                  width={x(b.rate)}
                  height={HEIGHT - 4}
                  class={b.control ? 'chart-bar-muted' : 'chart-bar'}
                />
              )}
              {b.interval ? (
                <g class="chart-whisker">
                  <line
                    x1={x(b.interval[0])}
                    x2={x(b.interval[1])}
                    y1={HEIGHT / 2}
                    y2={HEIGHT / 2}
                    vector-effect="non-scaling-stroke"
                  />
                  <line
                    x1={x(b.interval[0])}
                    x2={x(b.interval[0])}
                    y1="1"
                    y2={HEIGHT - 1}
                    vector-effect="non-scaling-stroke"
                  />
                  <line
                    x1={x(b.interval[1])}
                    x2={x(b.interval[1])}
                    y1="1"
                    y2={HEIGHT - 1}
                    vector-effect="non-scaling-stroke"
                  />
                </g>
              ) : null}
            </svg>
            <span class="rate-value">{formatPercent(b.rate, lang)}</span>
          </div>
        ))}
        <div class="rate-row">
          <span />
          <div class="chart-labels">
            <span>0</span>
            <span>{t('chart.max', { n: formatPercent(max, lang) })}</span>
          </div>
          <span />
        </div>
      </div>
      <figcaption>{caption}</figcaption>
    </figure>
  );
}
