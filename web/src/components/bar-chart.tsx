/**
 * @module components/bar-chart
 * A bar chart drawn as SVG (no chart library, no canvas), with a text summary for screen readers
 * and the numbers in a table the reader can open.
 */
import { useI18n } from '../i18n';

export interface Bar {
  label: string;
  value: number;
}

export function BarChart(props: { bars: Bar[]; title: string; summary: string; valueLabel: string }) {
  const { t } = useI18n();
  const max = Math.max(1, ...props.bars.map((b) => b.value));
  const width = 600;
  const height = 140;
  const gap = 2;
  const barWidth = props.bars.length === 0 ? 0 : width / props.bars.length - gap;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${height + 18}`} role="img" aria-label={`${props.title}. ${props.summary}`}>
        <line x1="0" y1={height} x2={width} y2={height} class="chart-axis" />
        {props.bars.map((b, i) => {
          const h = (b.value / max) * (height - 4);
          return (
            <rect
              key={b.label}
              x={i * (barWidth + gap)}
              y={height - h}
              width={Math.max(1, barWidth)}
              height={h}
              class="chart-bar"
            >
              <title>{`${b.label}: ${b.value}`}</title>
            </rect>
          );
        })}
        {props.bars.length > 0 ? (
          <>
            <text x="0" y={height + 14} class="chart-label">
              {props.bars[0]?.label}
            </text>
            <text x={width} y={height + 14} class="chart-label" text-anchor="end">
              {props.bars[props.bars.length - 1]?.label}
            </text>
            <text x={width} y="12" class="chart-label" text-anchor="end">
              {t('chart.max', { n: max })}
            </text>
          </>
        ) : null}
      </svg>
      <figcaption>{props.summary}</figcaption>
      <details>
        <summary>{t('chart.showData')}</summary>
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{t('chart.time')}</th>
              <th scope="col">{props.valueLabel}</th>
            </tr>
          </thead>
          <tbody>
            {props.bars.map((b) => (
              <tr key={b.label}>
                <td>{b.label}</td>
                <td class="num">{b.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
