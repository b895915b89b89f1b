import type { ComponentChildren } from 'preact';
import { formatDate } from '../../../platform/format.js';
import { Button, ErrorSummary, type FieldError, PeriodFields } from '../../../platform/views/components.js';
import { usePage } from '../../../platform/views/page-context.js';
import { ConsolePage } from '../../staff/pages/staff.components.js';
import type { StaffMember } from '../../staff/staff.model.js';
import type { StatisticsReport } from '../statistics.service.js';
import { CategoryChart, DayChart, type DaySeries } from './charts.js';

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** A chart and its numbers side by side (stacked on narrow screens). */
function ChartSection({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="chart-section" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      <div class="chart-pair">{children}</div>
    </section>
  );
}

function DayTable({
  id,
  caption,
  days,
  today,
  series,
}: {
  id: string;
  caption: string;
  days: string[];
  today: string;
  series: DaySeries[];
}) {
  const { t, lang } = usePage();
  return (
    <div class="table-wrap chart-table" tabIndex={0} role="region" aria-labelledby={`${id}-caption`}>
      <table>
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('statistics.day')}</th>
            {series.map((line) => (
              <th key={line.label} scope="col" class="number">
                {line.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {days.map((day, i) => (
            <tr key={day} class={day === today ? 'chart-table__today' : undefined} data-day={day}>
              <th scope="row">
                {formatDate(day, lang)}
                {day === today && ` ${t('statistics.todayMark')}`}
              </th>
              {series.map((line) => (
                <td key={line.label} class="number">
                  {line.values[i]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('statistics.total')}</th>
            {series.map((line) => (
              <td key={line.label} class="number">
                {sum(line.values)}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function CountTable({
  id,
  caption,
  head,
  rows,
}: {
  id: string;
  caption: string;
  head: string;
  rows: Array<{ label: string; count: number }>;
}) {
  const { t } = usePage();
  return (
    <div class="table-wrap chart-table">
      <table id={id}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            <th scope="col" class="number">
              {t('statistics.count')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              <td class="number">{row.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Categories({
  id,
  title,
  head,
  rows,
}: {
  id: string;
  title: string;
  head: string;
  rows: Array<{ label: string; count: number }>;
}) {
  const { t } = usePage();
  const total = sum(rows.map((row) => row.count));
  return (
    <ChartSection id={id} title={title}>
      {rows.length === 0 ? (
        <p>{t('statistics.none')}</p>
      ) : (
        <>
          <figure class="chart">
            <CategoryChart
              id={`${id}-chart`}
              title={title}
              desc={t('statistics.categoryDesc', {
                total,
                parts: rows.map((row) => `${row.label} ${row.count}`).join(t('statistics.listSeparator')),
              })}
              rows={rows}
            />
          </figure>
          <CountTable id={`${id}-table`} caption={title} head={head} rows={rows} />
        </>
      )}
    </ChartSection>
  );
}

/** #12 A-7: the university's numbers for a range of Japan-time days, as charts and tables. */
export function StatisticsPage({
  member,
  input,
  errors,
  report,
}: {
  member: StaffMember;
  input: { from: string; to: string };
  errors: FieldError[];
  report: StatisticsReport | undefined;
}) {
  const { t, base, lang } = usePage();
  return (
    <ConsolePage member={member} title={t('statistics.title')} hasErrors={errors.length > 0}>
      <ErrorSummary errors={errors} />
      <form method="get" action={`${base}/staff/statistics`} class="filter-form" novalidate>
        <div class="filter-grid">
          <PeriodFields
            labels={{ from: t('statistics.from'), to: t('statistics.to') }}
            hint={t('statistics.dateHint')}
            values={input}
            errors={errors}
            maxLength={20}
          />
        </div>
        <p class="actions">
          <Button>{t('statistics.show')}</Button>
        </p>
      </form>
      {report && <Report report={report} lang={lang} />}
    </ConsolePage>
  );
}

function Report({ report, lang }: { report: StatisticsReport; lang: 'ja' | 'en' }) {
  const { t } = usePage();
  const { range, today } = report;
  const period = { from: formatDate(range.from, lang), to: formatDate(range.to, lang) };
  const todayIndex = range.days.indexOf(today);
  const issued: DaySeries[] = [{ label: t('statistics.issued.series'), tone: 'a', values: report.issuedPerDay }];
  const logins: DaySeries[] = [
    { label: t('statistics.logins.success'), tone: 'a', values: report.loginSuccessPerDay },
    { label: t('statistics.logins.failure'), tone: 'b', values: report.loginFailurePerDay },
  ];
  const mail: DaySeries[] = [{ label: t('statistics.mail.series'), tone: 'b', values: report.mailFailuresPerDay }];
  const dayDesc = (series: DaySeries[]) =>
    t('statistics.dayDesc', {
      ...period,
      totals: series.map((line) => `${line.label} ${sum(line.values)}`).join(t('statistics.listSeparator')),
      today:
        todayIndex >= 0
          ? t('statistics.todayDesc', {
              values: series
                .map((line) => `${line.label} ${line.values[todayIndex]}`)
                .join(t('statistics.listSeparator')),
            })
          : '',
    });
  const dayChart = (id: string, title: string, series: DaySeries[]) => (
    <ChartSection id={id} title={title}>
      <figure class="chart">
        <DayChart
          id={`${id}-chart`}
          title={title}
          desc={dayDesc(series)}
          days={range.days}
          series={series}
          today={today}
        />
        {series.length > 1 && (
          <figcaption class="chart-legend">
            {series.map((line) => (
              <span key={line.label}>
                <span class={`chart-swatch chart-bar--${line.tone}`} aria-hidden="true" /> {line.label}
              </span>
            ))}
          </figcaption>
        )}
      </figure>
      <DayTable id={`${id}-table`} caption={title} days={range.days} today={today} series={series} />
    </ChartSection>
  );
  // The university's own name of the type, else the standard one (a type since taken off the catalogue).
  const typeName = (type: string) => report.typeNames[type]?.[lang] ?? t(`certificates.types.${type}`);
  return (
    <>
      <p class="statistics-period">{t('statistics.period', period)}</p>
      {todayIndex >= 0 && (
        <section class="statistics-today" aria-labelledby="statistics-today">
          <h2 id="statistics-today">{t('statistics.todayHeading', { date: formatDate(today, lang) })}</h2>
          <ul>
            <li>{t('statistics.issued.today', { count: report.issuedPerDay[todayIndex] })}</li>
            <li>
              {t('statistics.logins.today', {
                success: report.loginSuccessPerDay[todayIndex],
                failure: report.loginFailurePerDay[todayIndex],
              })}
            </li>
            <li>{t('statistics.mail.today', { count: report.mailFailuresPerDay[todayIndex] })}</li>
          </ul>
        </section>
      )}
      {dayChart('issued', t('statistics.issued.title'), issued)}
      <Categories
        id="by-type"
        title={t('statistics.byType.title')}
        head={t('statistics.byType.head')}
        rows={report.issuedByType.map((row) => ({ label: typeName(row.key), count: row.count }))}
      />
      <Categories
        id="by-destination"
        title={t('statistics.byDestination.title')}
        head={t('statistics.byDestination.head')}
        rows={report.issuedByDestination.map((row) => ({
          label: t(`orders.destinations.${row.key}.name`),
          count: row.count,
        }))}
      />
      <Categories
        id="orders"
        title={t('statistics.orders.title')}
        head={t('statistics.orders.head')}
        rows={report.ordersByState.map((row) => ({ label: t(`orders.states.${row.key}`), count: row.count }))}
      />
      {dayChart('logins', t('statistics.logins.title'), logins)}
      {dayChart('mail', t('statistics.mail.title'), mail)}
    </>
  );
}
