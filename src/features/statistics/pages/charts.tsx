import { usePage } from '../../../platform/views/page-context.js';

/**
 * Server-rendered SVG charts (#12 A-7): no script, no inline style (colours come from classes in
 * app.css, as the Content-Security-Policy wants), and each an image with a title and a
 * description for screen readers; the page puts the same numbers in a table beside it.
 */

const WIDTH = 720;
const round = (value: number) => Math.round(value * 100) / 100;

/** A round upper bound for the axis, and the tick values below it. */
function axis(max: number): { top: number; ticks: number[] } {
  if (max <= 4) {
    const top = Math.max(max, 1);
    return { top, ticks: Array.from({ length: top + 1 }, (_, i) => i) };
  }
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 5, 10].map((m) => (m * magnitude) / 2).find((s) => max / s <= 5) ?? magnitude;
  const top = Math.ceil(max / step) * step;
  return { top, ticks: Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step) };
}

export interface DaySeries {
  label: string;
  /** A class of app.css that colours the bars (chart-bar--a, --b). */
  tone: 'a' | 'b';
  values: number[];
}

/** Bars per day, one group per day, the series side by side; today is marked. */
export function DayChart({
  id,
  title,
  desc,
  days,
  series,
  today,
}: {
  id: string;
  title: string;
  desc: string;
  days: string[];
  series: DaySeries[];
  today: string;
}) {
  const { t } = usePage();
  const height = 240;
  const left = 44;
  const bottom = 36;
  const plotWidth = WIDTH - left - 8;
  const plotHeight = height - bottom - 12;
  const { top, ticks } = axis(Math.max(0, ...series.flatMap((s) => s.values)));
  const slot = plotWidth / days.length;
  const barWidth = (slot * 0.8) / series.length;
  const y = (value: number) => round(12 + plotHeight - (value / top) * plotHeight);
  const labelEvery = Math.ceil(days.length / 8);
  const todayIndex = days.indexOf(today);
  return (
    <svg
      class="chart-svg"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {todayIndex >= 0 && (
        <rect class="chart-today" x={round(left + todayIndex * slot)} y={12} width={round(slot)} height={plotHeight} />
      )}
      {ticks.map((tick) => (
        <g key={tick} class="chart-grid">
          <line x1={left} x2={WIDTH - 8} y1={y(tick)} y2={y(tick)} />
          <text x={left - 6} y={y(tick) + 4} text-anchor="end">
            {tick}
          </text>
        </g>
      ))}
      {series.map((line, s) =>
        line.values.map((value, i) =>
          value > 0 ? (
            <rect
              key={`${s}-${i}`}
              class={`chart-bar chart-bar--${line.tone}`}
              x={round(left + i * slot + slot * 0.1 + s * barWidth)}
              y={y(value)}
              width={round(Math.max(barWidth, 1))}
              height={round(y(0) - y(value))}
            >
              <title>{`${days[i]} ${line.label}: ${value}`}</title>
            </rect>
          ) : null,
        ),
      )}
      {days.map((day, i) =>
        i === todayIndex || (i % labelEvery === 0 && Math.abs(i - todayIndex) >= labelEvery) ? (
          <text
            key={day}
            class={i === todayIndex ? 'chart-label chart-label--today' : 'chart-label'}
            x={round(left + i * slot + slot / 2)}
            y={height - bottom + 16}
            text-anchor="middle"
          >
            {i === todayIndex ? t('statistics.today') : day.slice(5)}
          </text>
        ) : null,
      )}
    </svg>
  );
}

/** One horizontal bar per category, its number at the end. */
export function CategoryChart({
  id,
  title,
  desc,
  rows,
}: {
  id: string;
  title: string;
  desc: string;
  rows: Array<{ label: string; count: number }>;
}) {
  const rowHeight = 30;
  const labelWidth = 230;
  const height = rows.length * rowHeight + 8;
  const max = Math.max(1, ...rows.map((row) => row.count));
  const barSpace = WIDTH - labelWidth - 60;
  return (
    <svg
      class="chart-svg"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {rows.map((row, i) => {
        const width = round((row.count / max) * barSpace);
        const y = 4 + i * rowHeight;
        return (
          <g key={row.label}>
            <text class="chart-label" x={labelWidth - 8} y={y + 19} text-anchor="end">
              {row.label}
            </text>
            <rect class="chart-bar chart-bar--a" x={labelWidth} y={y + 4} width={Math.max(width, 1)} height={20} />
            <text class="chart-label" x={labelWidth + width + 6} y={y + 19}>
              {row.count}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
