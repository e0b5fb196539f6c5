// Where the awareness work reached in a year: every region of the country with its
// events, participants and last event, and the regions without an event in the last 6,
// 12 or 24 months marked, for the coordinating body and analysts; the awareness report
// as CSV or XLSX for partners.
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { api, download } from '../../api';
import { SelectField } from '../../components/forms';
import { DataTable, ErrorNotice, Loaded, Tag, useAsync, usePageTitle } from '../../components/ui';
import { formatDate, formatNumber, locale, useT } from '../../i18n';
import { useLabels } from '../../vocab';
import { distinctRegions, regionName } from './types';
import './prevention.css';

interface RegionCoverage {
  events: number;
  participants: { female: number; male: number; total: number };
  last_event_on: string | null;
  without_event_in_window: boolean;
}

interface AwarenessReport {
  year: number;
  regions: Record<string, RegionCoverage>;
  regions_without_events: { months: number; until: string; regions: string[] };
}

const WINDOWS = ['6', '12', '24'];
const FIRST_YEAR = 2000;

function yearIn(q: Record<string, string>): number {
  const y = Number(q.year);
  return Number.isInteger(y) && y >= FIRST_YEAR && y <= 2200 ? y : new Date().getFullYear();
}

export default function Coverage() {
  const T = useT();
  const labels = useLabels();
  const { query, route } = useLocation();
  const year = yearIn(query);
  const months = WINDOWS.includes(query.months) ? query.months : '12';
  usePageTitle(`${T('prevention:coverage.title')}, ${year}`);
  const report = useAsync(() => api.get<AwarenessReport>('/api/v1/reports/awareness', { year, months }), [year, months]);
  const [onlyWithout, setOnlyWithout] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const go = (y: number | string, m: string) => route(`/trainings/coverage?year=${y}&months=${m}`, true);
  const save = async (format: 'csv' | 'xlsx') => {
    setBusy(format);
    setDownloadError(null);
    try {
      await download('/api/v1/reports/awareness', { year, months, format }, `awareness-${year}.${format}`);
    } catch (e) {
      setDownloadError(e);
    } finally {
      setBusy(null);
    }
  };
  const years: string[] = [];
  for (let y = new Date().getFullYear(); y >= FIRST_YEAR; y--) years.push(String(y));

  return (
    <>
      <p>
        <a href="/trainings">{T('prevention:coverage.back')}</a>
      </p>
      <h1>
        {T('prevention:coverage.title')} <span class="heading-year">{year}</span>
      </h1>
      <p class="lead">{T('prevention:coverage.intro')}</p>
      <div class="filters">
        <SelectField id="coverage-year" label={T('prevention:coverage.year')} value={String(year)} options={years.map((y) => ({ value: y, label: y }))} onChange={(y) => go(y, months)} />
        <SelectField
          id="coverage-months"
          label={T('prevention:coverage.window')}
          value={months}
          options={WINDOWS.map((m) => ({ value: m, label: T('prevention:coverage.months', { count: Number(m) }) }))}
          onChange={(m) => go(year, m)}
        />
        <div class="field button-row" role="group" aria-label={T('prevention:coverage.downloads')}>
          <button type="button" class="button button--secondary" disabled={busy !== null} onClick={() => save('csv')}>
            {T('prevention:coverage.download_csv')}
          </button>
          <button type="button" class="button button--secondary" disabled={busy !== null} onClick={() => save('xlsx')}>
            {T('prevention:coverage.download_xlsx')}
          </button>
          {busy && <span role="status">{T('prevention:coverage.downloading')}</span>}
        </div>
      </div>
      <ErrorNotice error={downloadError} />
      <Loaded value={report}>
        {(r) => {
          const regions = distinctRegions(labels);
          const name = (code: string) => regionName(regions, code);
          const codes = Object.keys(r.regions).sort((a, b) => name(a).localeCompare(name(b), locale()));
          const without = r.regions_without_events;
          const shown = onlyWithout ? codes.filter((c) => r.regions[c].without_event_in_window) : codes;
          const events = codes.reduce((n, c) => n + r.regions[c].events, 0);
          const participants = codes.reduce((n, c) => n + r.regions[c].participants.total, 0);
          return (
            <div aria-busy={report.loading ? 'true' : undefined}>
              <p>
                {T('prevention:coverage.year_total', { year: r.year, events: formatNumber(events), participants: formatNumber(participants) })}{' '}
                <strong>
                  {T('prevention:coverage.without_summary', {
                    count: without.regions.length,
                    n: formatNumber(without.regions.length),
                    all: formatNumber(codes.length),
                    months: T('prevention:coverage.months', { count: without.months }),
                    until: formatDate(without.until),
                  })}
                </strong>
              </p>
              <div class="checkbox coverage-only">
                <input id="coverage-only" type="checkbox" checked={onlyWithout} onChange={(e) => setOnlyWithout((e.target as HTMLInputElement).checked)} />
                <label for="coverage-only">{T('prevention:coverage.only_without')}</label>
              </div>
              <DataTable
                caption={T('prevention:coverage.caption', { year: r.year })}
                columns={[
                  T('prevention:events.region'),
                  { label: T('prevention:coverage.events'), numeric: true },
                  { label: T('prevention:coverage.participants'), numeric: true },
                  { label: T('prevention:coverage.female'), numeric: true },
                  { label: T('prevention:coverage.male'), numeric: true },
                  T('prevention:coverage.last_event'),
                  T('prevention:coverage.in_window', { months: T('prevention:coverage.months', { count: without.months }) }),
                ]}
              >
                {shown.map((code) => {
                  const c = r.regions[code];
                  return (
                    <tr key={code} class={c.without_event_in_window ? 'row--attention' : undefined}>
                      <th scope="row" class="row-head">
                        {name(code)}
                      </th>
                      <td class="num">{formatNumber(c.events)}</td>
                      <td class="num">{formatNumber(c.participants.total)}</td>
                      <td class="num">{formatNumber(c.participants.female)}</td>
                      <td class="num">{formatNumber(c.participants.male)}</td>
                      <td>{c.last_event_on ? formatDate(c.last_event_on) : T('prevention:coverage.never')}</td>
                      <td>{c.without_event_in_window ? <Tag tone="bad">{T('prevention:coverage.no_event')}</Tag> : <Tag tone="good">{T('prevention:coverage.held')}</Tag>}</td>
                    </tr>
                  );
                })}
              </DataTable>
              <p>
                <a href={`/reports/awareness?year=${r.year}`}>{T('prevention:coverage.full_report', { year: r.year })}</a>
              </p>
            </div>
          );
        }}
      </Loaded>
    </>
  );
}
