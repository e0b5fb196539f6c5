// One named report for one year: each of its tables as an accessible table and as a
// bar chart, what a reader must know about the figures (linkage, hidden small
// counts, noise), and the report as CSV or XLSX for partners.
//
// The server has already protected every figure: a hidden cell comes as the text it
// is published as ("<5", "x") and is shown so, never guessed at; the charts leave
// such cells out. Chart.js is loaded only here, when the first chart is drawn.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, download } from '../../api';
import { SelectField } from '../../components/forms';
import { ErrorNotice, Loaded, Notice, useAsync, usePageTitle } from '../../components/ui';
import { currentLanguage, formatDate, formatDateTime, formatMoney, formatMonth, formatNumber, locale, useT, type t } from '../../i18n';
import { useLabels, type Labels } from '../../vocab';
import { reportText, yearOf, yearOptions } from './Reports';
import type { BarChart, BarSeries } from './chart';
import './reports.css';

// ---- what GET /api/v1/reports/{name} answers ----

// A shown count is a number; a hidden one the text it is published as.
type CellValue = number | string;

interface TableJson {
  id: string;
  title: string;
  row_dimension: string;
  column_dimension: string | null;
  columns: string[];
  rows: Array<{ label: string; values: CellValue[]; total: CellValue }>;
  totals: { values: CellValue[]; total: CellValue };
  notes: string[];
  // Not sent today (see isMoney); honoured if the server starts to.
  decimals?: number;
}

interface ReportJson {
  report: string;
  title: string;
  description: string;
  year: number | null;
  generated_at: string;
  unit: string;
  linkage: { applied: boolean; at: string | null; threshold: number | null };
  suppression: { threshold: number; primary: number; secondary: number; legend?: Record<string, string> };
  differential_privacy: {
    mechanism: string;
    epsilon: number;
    delta: number;
    epsilon_per_table: number;
    epsilon_spent_before: number;
  } | null;
  tables: TableJson[];
  notes: string[];
}

const hidden = (v: CellValue): v is string => typeof v === 'string';

// Colours told apart with the common colour-vision deficiencies (after Okabe and Ito),
// dark enough for 3:1 against white.
const PALETTE = ['#0b62a4', '#c2410c', '#0f7a55', '#a3347a', '#5b3f99', '#7a5c12', '#4a5460', '#b3261e'];

// ---- money ----

// JSON keeps money in minor units: the amounts of allowances (a column per currency)
// and the compensation awarded (a row per currency in the measures of `annual`).
const AMOUNT_ROW = /^amount_awarded_minor_([A-Z]{3})$/;

function isMoneyTable(table: TableJson): boolean {
  return table.column_dimension === 'currency' && (table.decimals !== undefined ? table.decimals > 0 : table.id.includes('amount'));
}

// The currency of a cell, if it holds money.
function currencyOf(table: TableJson, row: string, column: string | null): string | null {
  const m = AMOUNT_ROW.exec(row);
  if (m) return m[1];
  if (isMoneyTable(table) && column && /^[A-Z]{3}$/.test(column)) return column;
  return null;
}

function majorUnits(minor: number, currency: string): number {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return minor / 10 ** digits;
}

// ---- the words of the tables ----

function tableTitle(T: typeof t, id: string): string | null {
  const titles: Record<string, string> = {
    by_age_group_and_sex: T('reports:tables.by_age_group_and_sex'),
    by_majority_and_sex: T('reports:tables.by_majority_and_sex'),
    by_exploitation_and_sex: T('reports:tables.by_exploitation_and_sex'),
    by_citizenship_and_sex: T('reports:tables.by_citizenship_and_sex'),
    by_citizenship_group_and_sex: T('reports:tables.by_citizenship_group_and_sex'),
    by_transnational_and_sex: T('reports:tables.by_transnational_and_sex'),
    by_identified_by_and_sex: T('reports:tables.by_identified_by_and_sex'),
    by_status_and_sex: T('reports:tables.by_status_and_sex'),
    by_victim_status_and_sex: T('reports:tables.by_victim_status_and_sex'),
    services_by_type: T('reports:tables.services_by_type'),
    cases_by_service_type: T('reports:tables.cases_by_service_type'),
    shelter_use: T('reports:tables.shelter_use'),
    compensation: T('reports:tables.compensation'),
    criminal_proceedings: T('reports:tables.criminal_proceedings'),
    victims_by_sex_and_age: T('reports:tables.victims_by_sex_and_age'),
    victims_by_exploitation_and_age: T('reports:tables.victims_by_exploitation_and_age'),
    victims_by_exploitation_and_sex: T('reports:tables.victims_by_exploitation_and_sex'),
    victims_by_nationality_group: T('reports:tables.victims_by_nationality_group'),
    victims_by_nationality: T('reports:tables.victims_by_nationality'),
    victims_internal_transnational: T('reports:tables.victims_internal_transnational'),
    victims_status: T('reports:tables.victims_status'),
    detected_victims: T('reports:tables.detected_victims'),
    detected_victims_by_exploitation: T('reports:tables.detected_victims_by_exploitation'),
    detected_victims_by_origin: T('reports:tables.detected_victims_by_origin'),
    detected_victims_by_citizenship: T('reports:tables.detected_victims_by_citizenship'),
    detected_victims_by_country_of_exploitation: T('reports:tables.detected_victims_by_country_of_exploitation'),
    sex: T('reports:tables.sex'),
    age: T('reports:tables.age'),
    nationality: T('reports:tables.nationality'),
    exploitation: T('reports:tables.exploitation'),
    trafficking: T('reports:tables.trafficking'),
    identified_by: T('reports:tables.identified_by'),
    victim_status: T('reports:tables.victim_status'),
    allowance_payments: T('reports:tables.allowance_payments'),
    allowance_amounts: T('reports:tables.allowance_amounts'),
    referrals_by_receiver_kind: T('reports:tables.referrals_by_receiver_kind'),
    referrals_by_sender_kind: T('reports:tables.referrals_by_sender_kind'),
    referrals_by_ground: T('reports:tables.referrals_by_ground'),
    awareness_events_by_region_and_kind: T('reports:tables.awareness_events_by_region_and_kind'),
    awareness_participants_by_region_and_sex: T('reports:tables.awareness_participants_by_region_and_sex'),
    awareness_events_by_topic: T('reports:tables.awareness_events_by_topic'),
    awareness_events_by_audience: T('reports:tables.awareness_events_by_audience'),
    awareness_participants_by_age: T('reports:tables.awareness_participants_by_age'),
  };
  return titles[id] ?? null;
}

function dimensionName(T: typeof t, dim: string): string {
  const names: Record<string, string> = {
    year: T('reports:dimensions.year'),
    month: T('reports:dimensions.month'),
    sex: T('reports:dimensions.sex'),
    age_group: T('reports:dimensions.age_group'),
    majority: T('reports:dimensions.majority'),
    age_sex: T('reports:dimensions.age_sex'),
    citizenship: T('reports:dimensions.citizenship'),
    citizenship_group: T('reports:dimensions.citizenship_group'),
    exploitation: T('reports:dimensions.exploitation'),
    country_of_exploitation: T('reports:dimensions.country_of_exploitation'),
    transnational: T('reports:dimensions.transnational'),
    identified_by: T('reports:dimensions.identified_by'),
    status: T('reports:dimensions.status'),
    victim_status: T('reports:dimensions.victim_status'),
    source: T('reports:dimensions.source'),
    service_type: T('reports:dimensions.service_type'),
    measure: T('reports:dimensions.measure'),
    stage: T('reports:dimensions.stage'),
    currency: T('reports:dimensions.currency'),
    organization: T('reports:dimensions.organization'),
    receiver_kind: T('reports:dimensions.receiver_kind'),
    sender_kind: T('reports:dimensions.sender_kind'),
    referral_status: T('reports:dimensions.referral_status'),
    ground: T('reports:dimensions.ground'),
    region: T('reports:dimensions.region'),
    event_kind: T('reports:dimensions.event_kind'),
    event_topic: T('reports:dimensions.event_topic'),
    audience: T('reports:dimensions.audience'),
    participant_age_group: T('reports:dimensions.participant_age_group'),
  };
  return names[dim] ?? dim;
}

// The closed vocabularies of the server that a dimension's codes come from.
const VOCABULARY: Record<string, string> = {
  sex: 'sexes',
  exploitation: 'forms_of_exploitation',
  identified_by: 'identifying_bodies',
  status: 'case_statuses',
  victim_status: 'victim_statuses',
  service_type: 'service_types',
  stage: 'proceeding_stages',
  receiver_kind: 'organization_kinds',
  sender_kind: 'organization_kinds',
  referral_status: 'referral_statuses',
  event_kind: 'event_kinds',
  event_topic: 'event_topics',
  audience: 'audiences',
  participant_age_group: 'participant_age_groups',
};

// The label of a row or column code of dimension `dim` in the chosen language.
function valueLabel(T: typeof t, labels: Labels, dim: string | null, code: string): string {
  if (dim === null || code === 'count') return T('reports:count');
  if (code === 'unknown') return T('reports:values.unknown');
  const vocabulary = VOCABULARY[dim];
  if (vocabulary) return labels.label(vocabulary, code);
  const own: Record<string, string> = {
    minor: T('reports:values.minor'),
    adult: T('reports:values.adult'),
    women: T('reports:values.women'),
    men: T('reports:values.men'),
    girls: T('reports:values.girls'),
    boys: T('reports:values.boys'),
    own_country: T('reports:values.own_country'),
    foreign: T('reports:values.foreign'),
    stateless: T('reports:values.stateless'),
    internal: T('reports:values.internal'),
    transnational: T('reports:values.transnational'),
    consent: T('reports:values.consent'),
    override: T('reports:values.override'),
    stays_started: T('reports:values.stays_started'),
    cases_sheltered: T('reports:values.cases_sheltered'),
    bed_days: T('reports:values.bed_days'),
    claims_filed: T('reports:values.claims_filed'),
    claims_awarded: T('reports:values.claims_awarded'),
    haven: T('reports:values.haven'),
    ctdc: T('reports:values.ctdc'),
  };
  if (dim === 'citizenship' || dim === 'country_of_exploitation') return own[code] ?? labels.country(code);
  if (dim === 'month') return formatMonth(code);
  if (dim === 'region') return labels.region(code);
  const amount = AMOUNT_ROW.exec(code);
  if (amount) return T('reports:values.amount_awarded', { currency: amount[1] });
  return own[code] ?? code;
}

// A note of the server in the chosen language; the server's English text when it is
// one this version does not know.
function noteText(T: typeof t, labels: Labels, note: string): { text: string; lang?: string } {
  if (note.startsWith('A person exploited in several forms')) return { text: T('reports:notes.multi_valued') };
  if (note.startsWith('amounts of approved payments')) return { text: T('reports:notes.amounts') };
  if (note.startsWith('An event on several topics')) return { text: T('reports:notes.event_topics') };
  if (note.startsWith('An event for several audiences')) return { text: T('reports:notes.event_audiences') };
  const uncounted = /^(\d+) participants of events that did not count them by age/.exec(note);
  if (uncounted) return { text: T('reports:notes.not_by_age', { count: Number(uncounted[1]), n: formatNumber(Number(uncounted[1])) }) };
  const median = /^median time from sending to acceptance, (\w+): ([\d.]+) hours \((\d+) accepted\)$/.exec(note);
  if (median)
    return {
      text: T('reports:notes.median', {
        kind: labels.label('organization_kinds', median[1]),
        hours: formatNumber(Number(median[2]), 1),
        count: Number(median[3]),
      }),
    };
  const member = /^memorandum member: (.+) \((\w+)\), signed (\d{4}-\d{2}-\d{2})(?:, left (\d{4}-\d{2}-\d{2}))?$/.exec(note);
  if (member) {
    const args = { name: member[1], kind: labels.label('organization_kinds', member[2]), signed: formatDate(member[3]) };
    return {
      text: member[4]
        ? T('reports:notes.member_left', { ...args, left: formatDate(member[4]) })
        : T('reports:notes.member', args),
    };
  }
  return { text: note, lang: 'en' };
}

// ---- the screen ----

export default function ReportPage(props: { name?: string; params?: { name?: string } }) {
  const name = props.params?.name ?? props.name ?? '';
  const T = useT();
  const { query, route } = useLocation();
  const year = yearOf(query);
  const report = useAsync(
    () => api.get<ReportJson>(`/api/v1/reports/${encodeURIComponent(name)}`, { year }),
    [name, year],
  );
  const text = reportText(T, name);
  const title = text?.title ?? report.data?.title ?? name;
  usePageTitle(`${title}, ${year}`);

  const [busy, setBusy] = useState<string | null>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const save = async (format: 'csv' | 'xlsx') => {
    setBusy(format);
    setDownloadError(null);
    try {
      await download(`/api/v1/reports/${encodeURIComponent(name)}`, { year, format }, `${name}-${year}.${format}`);
    } catch (e) {
      setDownloadError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <p class="report-back">
        <a href={`/reports?year=${year}`}>{T('reports:back')}</a>
      </p>
      <h1>
        {text ? title : <span lang="en">{title}</span>}{' '}
        <span class="report-heading__year">{year}</span>
      </h1>
      {(text || report.data) && (
        <p class="lead">{text ? text.description : <span lang="en">{report.data!.description}</span>}</p>
      )}
      <div class="filters report-filters">
        <SelectField
          id="report-year"
          label={T('reports:year')}
          value={String(year)}
          options={yearOptions(year)}
          onChange={(y) => route(`/reports/${encodeURIComponent(name)}?year=${y}`, true)}
        />
        <div class="report-downloads" role="group" aria-label={T('reports:downloads')}>
          <button type="button" class="button button--secondary" disabled={busy !== null} onClick={() => save('csv')}>
            {T('reports:download_csv')}
          </button>
          <button type="button" class="button button--secondary" disabled={busy !== null} onClick={() => save('xlsx')}>
            {T('reports:download_xlsx')}
          </button>
          {busy && (
            <span role="status" class="report-downloads__busy">
              {T('reports:downloading')}
            </span>
          )}
        </div>
      </div>
      <ErrorNotice error={downloadError} />
      <Loaded value={report}>{(r) => <ReportBody report={r} year={year} loading={report.loading} />}</Loaded>
    </>
  );
}

function ReportBody({ report, year, loading }: { report: ReportJson; year: number; loading: boolean }) {
  const T = useT();
  const labels = useLabels();
  const threshold = report.suppression.threshold;
  const dp = report.differential_privacy;
  const hiddenCells = report.suppression.primary + report.suppression.secondary;
  return (
    <div class="report" aria-busy={loading ? 'true' : undefined}>
      <section class="report-suppression" aria-labelledby="report-suppression-title">
        <h2 id="report-suppression-title">{T('reports:suppression.title')}</h2>
        {threshold >= 2 && !dp ? (
          <>
            <p>{T('reports:suppression.why')}</p>
            <dl class="report-legend">
              <div>
                <dt>{`<${threshold}`}</dt>
                <dd>{T('reports:suppression.primary', { max: threshold - 1 })}</dd>
              </div>
              <div>
                <dt>x</dt>
                <dd>{T('reports:suppression.secondary')}</dd>
              </div>
            </dl>
            <p>{T('reports:suppression.hidden_in_report', { count: hiddenCells })}</p>
          </>
        ) : (
          <p>{dp ? T('reports:suppression.noise') : T('reports:suppression.none')}</p>
        )}
      </section>

      {report.tables.length > 1 && (
        <nav class="report-contents" aria-labelledby="report-contents-title">
          <h2 id="report-contents-title">{T('reports:contents')}</h2>
          <ol>
            {report.tables.map((table) => {
              const own = tableTitle(T, table.id);
              return (
                <li key={table.id}>
                  <a href={`#table-${table.id}`}>{own ?? <span lang="en">{table.title}</span>}</a>
                </li>
              );
            })}
          </ol>
        </nav>
      )}

      {report.tables.length === 0 && <Notice>{T('reports:no_tables')}</Notice>}
      {report.tables.map((table) => (
        <ReportTable key={table.id} table={table} year={report.year ?? year} labels={labels} />
      ))}
      <section class="section report-about" aria-labelledby="report-about-title">
        <h2 id="report-about-title">{T('reports:about.title')}</h2>
        <ul>
          {report.unit === 'persons' && <li>{T('reports:notes.persons', { year: report.year ?? year })}</li>}
          <li>
            {report.linkage.applied
              ? T('reports:notes.linkage_applied', { at: formatDateTime(report.linkage.at) })
              : T('reports:notes.linkage_not_applied')}
          </li>
          {dp && (
            <li>
              {T('reports:notes.dp', {
                mechanism: dp.mechanism,
                epsilon: formatNumber(dp.epsilon, 3),
                per_table: formatNumber(dp.epsilon_per_table, 3),
              })}
            </li>
          )}
          <li>{T('reports:about.generated', { at: formatDateTime(report.generated_at) })}</li>
        </ul>
      </section>
    </div>
  );
}

function ReportTable({ table, year, labels }: { table: TableJson; year: number; labels: Labels }) {
  const T = useT();
  const own = tableTitle(T, table.id);
  const title = own ?? table.title;
  const columnDim = table.column_dimension;
  const money = isMoneyTable(table);
  // A total over several currencies adds up what cannot be added: left out.
  const showRowTotal = table.columns.length > 1 && !money;
  // Measures of different things (stays and bed-days, claims and amounts) have no sum.
  const showColumnTotals = table.row_dimension !== 'measure';
  const hiddenCount = table.rows.reduce((n, r) => n + r.values.filter(hidden).length, 0);

  const cell = (v: CellValue, row: string, column: string | null) => {
    if (hidden(v)) return <span class="report-cell--hidden">{v}</span>;
    const currency = currencyOf(table, row, column);
    return currency ? formatMoney(v, currency) : formatNumber(v);
  };

  return (
    <section class="section report-table" id={`table-${table.id}`} aria-labelledby={`table-${table.id}-title`}>
      <h2 id={`table-${table.id}-title`}>{own ?? <span lang="en">{table.title}</span>}</h2>
      {table.notes.length > 0 && (
        <ul class="report-table__notes">
          {table.notes.map((n, i) => {
            const note = noteText(T, labels, n);
            return (
              <li key={i} lang={note.lang}>
                {note.text}
              </li>
            );
          })}
        </ul>
      )}
      {table.rows.length === 0 ? (
        <Notice>{T('reports:empty_table')}</Notice>
      ) : (
        <>
          <TableChart table={table} title={title} labels={labels} />
          {hiddenCount > 0 && (
            <p class="report-table__hidden">
              {T('reports:hidden_cells', { count: hiddenCount })}{' '}
              <a href="#report-suppression-title">{T('reports:why_hidden')}</a>
            </p>
          )}
          <div class="table-wrap">
            <table class="table report-grid">
              <caption>{T('reports:caption', { title, year })}</caption>
              <thead>
                <tr>
                  <th scope="col">{dimensionName(T, table.row_dimension)}</th>
                  {table.columns.map((c) => (
                    <th scope="col" class="num" key={c}>
                      {valueLabel(T, labels, columnDim, c)}
                    </th>
                  ))}
                  {showRowTotal && (
                    <th scope="col" class="num">
                      {T('reports:total')}
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {table.rows.map((r) => (
                  <tr key={r.label}>
                    <th scope="row">{valueLabel(T, labels, table.row_dimension, r.label)}</th>
                    {r.values.map((v, i) => (
                      <td class="num" key={i}>
                        {cell(v, r.label, table.columns[i])}
                      </td>
                    ))}
                    {showRowTotal && <td class="num">{cell(r.total, r.label, null)}</td>}
                  </tr>
                ))}
              </tbody>
              {showColumnTotals && (
                <tfoot>
                  <tr>
                    <th scope="row">{T('reports:total')}</th>
                    {table.totals.values.map((v, i) => (
                      <td class="num" key={i}>
                        {cell(v, '', table.columns[i])}
                      </td>
                    ))}
                    {showRowTotal && <td class="num">{cell(table.totals.total, '', null)}</td>}
                  </tr>
                </tfoot>
              )}
            </table>
          </div>
        </>
      )}
    </section>
  );
}

// ---- the chart ----

function TableChart({ table, title, labels }: { table: TableJson; title: string; labels: Labels }) {
  const T = useT();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);

  // Money is not drawn beside counts (the compensation awarded among the claims);
  // in a table of money every bar is an amount in major units.
  const rows = table.rows.filter((r) => !AMOUNT_ROW.test(r.label));
  const moneyLeftOut = rows.length < table.rows.length;
  const money = isMoneyTable(table);
  const series: BarSeries[] = table.columns.map((c, i) => ({
    label: valueLabel(T, labels, table.column_dimension, c),
    data: rows.map((r) => {
      const v = r.values[i];
      if (hidden(v)) return null; // a hidden cell is never drawn as a number
      return money ? majorUnits(v, c) : v;
    }),
    color: PALETTE[i % PALETTE.length],
  }));
  // With one bar per group, a group whose count is hidden says so under its empty place.
  const categories = rows.map((r) => {
    const name = valueLabel(T, labels, table.row_dimension, r.label);
    return series.length === 1 && hidden(r.values[0]) ? `${name} (${r.values[0]})` : name;
  });
  const drawn = series.reduce((n, s) => n + s.data.filter((v) => v !== null).length, 0);
  const left = series.reduce((n, s) => n + s.data.filter((v) => v === null).length, 0);
  const anything = series.some((s) => s.data.some((v) => v !== null && v > 0));
  const lng = currentLanguage();
  const key = JSON.stringify([lng, categories, series]);

  useEffect(() => {
    if (!anything || !canvas.current) return;
    let live = true;
    let chart: BarChart | null = null;
    import('./chart').then(
      ({ drawBarChart }) => {
        if (!live || !canvas.current) return;
        chart = drawBarChart(canvas.current, {
          categories,
          series,
          format: (n) => formatNumber(n, money ? 2 : 0),
          locale: locale(),
          hiddenText: T('reports:chart.hidden'),
        });
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
      chart?.destroy();
    };
  }, [key, anything]);

  if (!anything) return <p class="report-chart__none">{T('reports:chart.nothing')}</p>;

  const by = dimensionName(T, table.row_dimension);
  const summary = [
    table.column_dimension
      ? T('reports:chart.summary_by', { title, rows: by, columns: dimensionName(T, table.column_dimension), count: drawn })
      : T('reports:chart.summary', { title, rows: by, count: drawn }),
    left > 0 ? T('reports:chart.left_out', { count: left }) : '',
    moneyLeftOut ? T('reports:chart.money_left_out') : '',
    T('reports:chart.see_table'),
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <figure class="report-chart">
      <div class="chart">
        <canvas ref={canvas} role="img" aria-label={summary}>
          {T('reports:chart.see_table')}
        </canvas>
      </div>
      {(moneyLeftOut || failed) && (
        <figcaption class="report-chart__caption">
          {failed && <span>{T('reports:chart.failed')} </span>}
          {moneyLeftOut && <span>{T('reports:chart.money_left_out')}</span>}
        </figcaption>
      )}
    </figure>
  );
}
