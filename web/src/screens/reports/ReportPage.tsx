// One named report for one year: each of its tables as an accessible table and as a
// bar chart, what a reader must know about the figures (linkage, hidden small
// counts, noise, whose records were counted), and the report as CSV, XLSX or PDF
// for partners.
//
// The report is asked for in the chosen language (?lang=): its titles, the labels of
// its rows and columns, its notes and its legend come worded by the server, the same
// words as in its downloads. The server has already protected every figure: a hidden
// cell comes as the text it is published as ("<5", "x") and is shown so, never
// guessed at; the charts leave such cells out. A total the server does not publish
// (it would add unlike things) is not shown. Chart.js is loaded only here, when the
// first chart is drawn.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError, download, type Query } from '../../api';
import { SelectField } from '../../components/forms';
import { ErrorNotice, Loaded, Notice, useAsync, usePageTitle } from '../../components/ui';
import { currentLanguage, formatDateTime, formatMoney, formatNumber, locale, useT, type Language } from '../../i18n';
import { countsPersons, listHref, reportHref, sourceOf, sourceOptions, yearOf, yearOptions, type Source } from './Reports';
import type { BarChart, BarSeries } from './chart';
import './reports.css';

// ---- what GET /api/v1/reports/{name} answers ----

// A shown count is a number; a hidden one the text it is published as.
type CellValue = number | string;
// A total: null where the server publishes none.
type TotalValue = CellValue | null;

interface TableJson {
  id: string;
  title: string;
  row_dimension: string;
  row_dimension_label: string;
  column_dimension: string | null;
  column_dimension_label: string | null;
  // The codes of the columns, and their texts.
  columns: string[];
  column_labels: string[];
  rows: Array<{ label: string; label_text: string; values: CellValue[]; total: TotalValue }>;
  totals: { values: TotalValue[]; total: TotalValue };
  // Whether the server publishes the total row (a total of each column) and the
  // total column (a total of each row).
  column_totals: boolean;
  row_totals: boolean;
  notes: string[];
  // Money: the values are in minor units, `decimals` of them to a major unit.
  decimals?: number;
}

interface ReportJson {
  report: string;
  title: string;
  description: string;
  language?: Language;
  year: number | null;
  generated_at: string;
  unit: string;
  unit_label?: string;
  sources?: string[];
  source_labels?: string[];
  linkage: { applied: boolean; at: string | null; threshold: number | null };
  suppression: { threshold: number; primary: number; secondary: number; legend?: Record<string, string> };
  differential_privacy: {
    mechanism: string;
    epsilon: number;
    delta: number;
    epsilon_per_table: number;
    epsilon_spent_before: number;
    // The same question asked again: the answer released at `released_at`, nothing spent.
    repeated?: boolean;
    released_at?: string | null;
  } | null;
  tables: TableJson[];
  notes: string[];
}

const hidden = (v: CellValue): v is string => typeof v === 'string';

// Colours told apart with the common colour-vision deficiencies (after Okabe and Ito),
// dark enough for 3:1 against white.
const PALETTE = ['#0b62a4', '#c2410c', '#0f7a55', '#a3347a', '#5b3f99', '#7a5c12', '#4a5460', '#b3261e'];

// ---- asking the server ----

function reportQuery(year: number, lang: Language, source: Source, format?: string): Query {
  // Haven's own cases are what the server counts unless told otherwise: the address
  // and the question stay short then (and the reports of Haven's records only take no
  // other source).
  return { year, lang, source: source === 'haven' ? undefined : source, format };
}

// A report the server cannot word in the chosen language (it refuses `lang`) is asked
// for again without it and comes in the server's own words (marked as such).
async function inLanguage<T>(ask: (query: Query) => Promise<T>, query: Query): Promise<T> {
  try {
    return await ask(query);
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 400 && e.field === 'lang')) throw e;
    const { lang: _, ...rest } = query;
    return ask(rest);
  }
}

// The file name when the server suggests none: greta-2025-az.pdf (English: greta-2025.pdf).
function fileName(name: string, year: number, lang: Language, format: string): string {
  return `${name}-${year}${lang === 'en' ? '' : `-${lang}`}.${format}`;
}

// ---- money ----

// The compensation awarded is a row per currency among the measures of `annual`, in
// minor units as its label says: not drawn beside the counts.
const AMOUNT_ROW = /^amount_awarded_minor_[A-Z]{3}$/;

function decimalsOf(table: TableJson): number {
  return table.decimals ?? 0;
}

function currencyDigits(currency: string): number | null {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? null;
  } catch {
    return null;
  }
}

// A value of a table with decimals (minor units), in major units; as money when its
// column is a currency.
function amountText(minor: number, decimals: number, currency: string | null): string {
  if (currency && currencyDigits(currency) === decimals) return formatMoney(minor, currency);
  return formatNumber(minor / 10 ** decimals, decimals);
}

// ---- the screen ----

// Text in the server's words: marked with its language when that is not the screen's
// (in an element of its own, which goes once the words are the screen's language: an
// attribute taken away would be left as lang="", an unknown language).
function Words({ lang, children }: { lang: string | undefined; children: string }) {
  return lang ? <span lang={lang}>{children}</span> : <>{children}</>;
}

export default function ReportPage(props: { name?: string; params?: { name?: string } }) {
  const name = props.params?.name ?? props.name ?? '';
  const T = useT();
  const lang = currentLanguage();
  const { query, route } = useLocation();
  const year = yearOf(query);
  const persons = countsPersons(name);
  const source: Source = persons ? sourceOf(query) : 'haven';
  const path = `/api/v1/reports/${encodeURIComponent(name)}`;
  const report = useAsync(
    () => inLanguage((q) => api.get<ReportJson>(path, q), reportQuery(year, lang, source)),
    [name, year, lang, source],
  );
  // The server's words are in the language of its answer: until the answer in a newly
  // chosen language is in, the one before is shown, marked with its own language.
  const words = report.data && report.data.language !== lang ? (report.data.language ?? 'en') : undefined;
  const title = report.data?.title ?? T('reports:title');
  usePageTitle(`${title}, ${year}`);

  const [busy, setBusy] = useState<string | null>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const save = async (format: 'csv' | 'xlsx' | 'pdf') => {
    setBusy(format);
    setDownloadError(null);
    try {
      await inLanguage((q) => download(path, q, fileName(name, year, lang, format)), reportQuery(year, lang, source, format));
    } catch (e) {
      setDownloadError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <p class="report-back">
        <a href={listHref(year, source)}>{T('reports:back')}</a>
      </p>
      <h1>
        {report.data ? <Words lang={words}>{report.data.title}</Words> : title}{' '}
        <span class="report-heading__year">{year}</span>
      </h1>
      {report.data && (
        <p class="lead">
          <Words lang={words}>{report.data.description}</Words>
        </p>
      )}
      <div class="filters report-filters">
        <div class="report-filters__choices">
          <SelectField
            id="report-year"
            label={T('reports:year')}
            value={String(year)}
            options={yearOptions(year)}
            onChange={(y) => route(reportHref(name, Number(y), source), true)}
          />
          {persons && (
            <SelectField
              id="report-source"
              label={T('reports:source.label')}
              hint={T('reports:source.hint')}
              value={source}
              options={sourceOptions(T)}
              onChange={(s) => route(reportHref(name, year, sourceOf({ source: s })), true)}
            />
          )}
        </div>
        <div class="report-downloads" role="group" aria-label={T('reports:downloads')}>
          <button type="button" class="button button--secondary" disabled={busy !== null} onClick={() => save('csv')}>
            {T('reports:download_csv')}
          </button>
          <button type="button" class="button button--secondary" disabled={busy !== null} onClick={() => save('xlsx')}>
            {T('reports:download_xlsx')}
          </button>
          <button type="button" class="button button--secondary" disabled={busy !== null} onClick={() => save('pdf')}>
            {T('reports:download_pdf')}
          </button>
          {busy && (
            <span role="status" class="report-downloads__busy">
              {T('reports:downloading')}
            </span>
          )}
        </div>
      </div>
      <ErrorNotice error={downloadError} />
      <Loaded value={report}>{(r) => <ReportBody report={r} year={year} loading={report.loading} words={words} />}</Loaded>
    </>
  );
}

function ReportBody({ report, year, loading, words }: { report: ReportJson; year: number; loading: boolean; words: string | undefined }) {
  const T = useT();
  const threshold = report.suppression.threshold;
  const dp = report.differential_privacy;
  const hiddenCells = report.suppression.primary + report.suppression.secondary;
  // Under noise no larger count is hidden beside a small one: the server has no "x" then.
  const legend = Object.entries(report.suppression.legend ?? {}).filter(([mark]) => !(dp && mark === 'x'));
  return (
    <div class="report" aria-busy={loading ? 'true' : undefined}>
      {dp?.repeated && (
        <Notice>{T('reports:dp_repeated', { at: formatDateTime(dp.released_at) })}</Notice>
      )}
      <section class="report-suppression" aria-labelledby="report-suppression-title">
        <h2 id="report-suppression-title">{T('reports:suppression.title')}</h2>
        {dp && <p>{T('reports:suppression.noise')}</p>}
        {threshold >= 2 ? (
          <>
            <p>{T('reports:suppression.why')}</p>
            {legend.length > 0 && (
              <dl class="report-legend">
                {legend.map(([mark, text]) => (
                  <div key={mark}>
                    <dt>{mark}</dt>
                    <dd>
                      <Words lang={words}>{text}</Words>
                    </dd>
                  </div>
                ))}
              </dl>
            )}
            <p>{T('reports:suppression.hidden_in_report', { count: hiddenCells })}</p>
          </>
        ) : (
          !dp && <p>{T('reports:suppression.none')}</p>
        )}
      </section>

      {report.tables.length > 1 && (
        <nav class="report-contents" aria-labelledby="report-contents-title">
          <h2 id="report-contents-title">{T('reports:contents')}</h2>
          <ol>
            {report.tables.map((table) => (
              <li key={table.id}>
                <a href={`#table-${table.id}`}>
                  <Words lang={words}>{table.title}</Words>
                </a>
              </li>
            ))}
          </ol>
        </nav>
      )}

      {report.tables.length === 0 && <Notice>{T('reports:no_tables')}</Notice>}
      {report.tables.map((table) => (
        <ReportTable key={table.id} table={table} year={report.year ?? year} words={words} />
      ))}
      <section class="section report-about" aria-labelledby="report-about-title">
        <h2 id="report-about-title">{T('reports:about.title')}</h2>
        <ul>
          {report.notes.map((n, i) => (
            <li key={i}>
              <Words lang={words}>{n}</Words>
            </li>
          ))}
          {report.linkage.applied && report.linkage.at && (
            <li>{T('reports:about.linkage_at', { at: formatDateTime(report.linkage.at) })}</li>
          )}
          <li>{T('reports:about.generated', { at: formatDateTime(report.generated_at) })}</li>
        </ul>
      </section>
    </div>
  );
}

function ReportTable({ table, year, words }: { table: TableJson; year: number; words: string | undefined }) {
  const T = useT();
  const title = table.title;
  const decimals = decimalsOf(table);
  const currencyColumns = table.column_dimension === 'currency';
  // A total column beside a single column would repeat it.
  const showRowTotal = table.row_totals && table.columns.length > 1;
  const showColumnTotals = table.column_totals;
  const twoWay = table.column_dimension !== null && table.column_dimension_label !== null;
  const hiddenCount = table.rows.reduce((n, r) => n + r.values.filter(hidden).length, 0);

  const cell = (v: TotalValue, column: number | null) => {
    if (v === null) return '—';
    if (hidden(v)) return <span class="report-cell--hidden">{v}</span>;
    if (decimals > 0) return amountText(v, decimals, currencyColumns && column !== null ? table.columns[column] : null);
    return formatNumber(v);
  };

  return (
    <section class="section report-table" id={`table-${table.id}`} aria-labelledby={`table-${table.id}-title`}>
      <h2 id={`table-${table.id}-title`}>
        <Words lang={words}>{title}</Words>
      </h2>
      {table.notes.length > 0 && (
        <ul class="report-table__notes">
          {table.notes.map((n, i) => (
            <li key={i}>
              <Words lang={words}>{n}</Words>
            </li>
          ))}
        </ul>
      )}
      {table.rows.length === 0 ? (
        <Notice>{T('reports:empty_table')}</Notice>
      ) : (
        <>
          <TableChart table={table} title={title} />
          {hiddenCount > 0 && (
            <p class="report-table__hidden">
              {T('reports:hidden_cells', { count: hiddenCount })}{' '}
              <a href="#report-suppression-title">{T('reports:why_hidden')}</a>
            </p>
          )}
          <div class="table-wrap">
            <table class="table report-grid">
              <caption>
                <Words lang={words}>{T('reports:caption', { title, year })}</Words>
              </caption>
              <thead>
                {twoWay ? (
                  <>
                    <tr>
                      <th scope="col" rowSpan={2}>
                        <Words lang={words}>{table.row_dimension_label}</Words>
                      </th>
                      <th scope="colgroup" colSpan={table.columns.length} class="report-grid__group">
                        <Words lang={words}>{table.column_dimension_label!}</Words>
                      </th>
                      {showRowTotal && (
                        <th scope="col" rowSpan={2} class="num">
                          {T('reports:total')}
                        </th>
                      )}
                    </tr>
                    <tr>
                      {table.column_labels.map((c, i) => (
                        <th scope="col" class="num" key={table.columns[i]}>
                          <Words lang={words}>{c}</Words>
                        </th>
                      ))}
                    </tr>
                  </>
                ) : (
                  <tr>
                    <th scope="col">
                      <Words lang={words}>{table.row_dimension_label}</Words>
                    </th>
                    {table.column_labels.map((c, i) => (
                      <th scope="col" class="num" key={table.columns[i]}>
                        <Words lang={words}>{c}</Words>
                      </th>
                    ))}
                    {showRowTotal && (
                      <th scope="col" class="num">
                        {T('reports:total')}
                      </th>
                    )}
                  </tr>
                )}
              </thead>
              <tbody>
                {table.rows.map((r) => (
                  <tr key={r.label}>
                    <th scope="row">
                      <Words lang={words}>{r.label_text}</Words>
                    </th>
                    {r.values.map((v, i) => (
                      <td class="num" key={i}>
                        {cell(v, i)}
                      </td>
                    ))}
                    {showRowTotal && <td class="num">{cell(r.total, null)}</td>}
                  </tr>
                ))}
              </tbody>
              {showColumnTotals && (
                <tfoot>
                  <tr>
                    <th scope="row">{T('reports:total')}</th>
                    {table.totals.values.map((v, i) => (
                      <td class="num" key={i}>
                        {cell(v, i)}
                      </td>
                    ))}
                    {showRowTotal && <td class="num">{cell(table.totals.total, null)}</td>}
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

function TableChart({ table, title }: { table: TableJson; title: string }) {
  const T = useT();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);

  // Money is not drawn beside counts (the compensation awarded among the claims);
  // in a table of money every bar is an amount in major units.
  const rows = table.rows.filter((r) => !AMOUNT_ROW.test(r.label));
  const moneyLeftOut = rows.length < table.rows.length;
  const decimals = decimalsOf(table);
  const series: BarSeries[] = table.columns.map((c, i) => ({
    label: table.column_labels[i] ?? c,
    data: rows.map((r) => {
      const v = r.values[i];
      if (hidden(v)) return null; // a hidden cell is never drawn as a number
      return v / 10 ** decimals;
    }),
    color: PALETTE[i % PALETTE.length],
  }));
  // With one bar per group, a group whose count is hidden says so under its empty place.
  const categories = rows.map((r) =>
    series.length === 1 && hidden(r.values[0]) ? `${r.label_text} (${r.values[0]})` : r.label_text,
  );
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
          format: (n) => formatNumber(n, decimals),
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

  const by = table.row_dimension_label;
  const summary = [
    table.column_dimension && table.column_dimension_label
      ? T('reports:chart.summary_by', { title, rows: by, columns: table.column_dimension_label, count: drawn })
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
