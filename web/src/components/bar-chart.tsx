/**
 * @module components/bar-chart
 * A bar chart drawn as SVG (no chart library, no canvas), stretched to the panel's width at a
 * fixed height; its labels are HTML so they keep their size on a phone. Screen readers get a
 * text summary, and everyone can open the numbers as a table.
 */
import { useI18n } from '../i18n';

export interface Bar {
  label: string;
  value: number;
}

const WIDTH = 600;
const HEIGHT = 140;
const GAP = 2;

export function BarChart(props: {
  bars: Bar[];
  title: string;
  summary: string;
  /** Headings of the data table's two columns. */
  labelHeading: string;
  valueLabel: string;
}) {
  const { t } = useI18n();
  const max = Math.max(1, ...props.bars.map((b) => b.value));
  const barWidth = props.bars.length === 0 ? 0 : WIDTH / props.bars.length - GAP;
  const first = props.bars[0];
  const last = props.bars[props.bars.length - 1];
  return (
    <figure class="chart">
      <div class="chart-plot">
        <span class="chart-max" aria-hidden="true">
          {t('chart.max', { n: max })}
        </span>
        <svg
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          preserveAspectRatio="none"
          role="img"
          aria-label={`${props.title}. ${props.summary}`}
        >
          {props.bars.map((b, i) => {
            const h = (b.value / max) * (HEIGHT - 2);
            return (
              <rect
                key={b.label}
                x={i * (barWidth + GAP)}
                y={HEIGHT - h}
                width={Math.max(1, barWidth)}
                height={h}
                class="chart-bar"
              >
                <title>{`${b.label}: ${b.value}`}</title>
              </rect>
            );
          })}
          <line x1="0" y1={HEIGHT} x2={WIDTH} y2={HEIGHT} class="chart-axis" vector-effect="non-scaling-stroke" />
        </svg>
      </div>
      {first && last ? (
        <div class="chart-labels" aria-hidden="true">
          <span>{first.label}</span>
          <span>{last.label}</span>
        </div>
      ) : null}
      <figcaption>{props.summary}</figcaption>
      <details>
        <summary>{t('chart.showData')}</summary>
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{props.labelHeading}</th>
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
