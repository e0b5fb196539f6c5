// The statistics reports an analyst or the coordinator can run: each named report
// with what it holds, for a chosen year of identification (the server requires one)
// and the records counted (kept in the address: ?year=2025&source=ctdc); the year's
// privacy budget; and the k-anonymous export of Haven's cases for the CTDC.
import { useLocation } from 'preact-iso';
import { api } from '../../api';
import { SelectField } from '../../components/forms';
import { DataTable, Loaded, useAsync, usePageTitle } from '../../components/ui';
import { formatNumber, useT, type t } from '../../i18n';
import { CtdcExport } from './CtdcExport';
import './reports.css';

interface ReportListJson {
  reports: Array<{ name: string; title: string; description: string }>;
}

// What GET /api/v1/reports/privacy-budget answers for one year.
interface BudgetJson {
  budget: number;
  per_analyst: number | null;
  years: Array<{
    year: number | 'all';
    budget: number;
    spent: number;
    left: number;
    by: Array<{ user_id: number; username: string; spent: number; releases: number; left: number | null }>;
  }>;
}

// Whose records a report counts (?source=): Haven's own cases unless asked otherwise.
export type Source = 'haven' | 'ctdc' | 'haven,ctdc';

export function sourceOf(query: Record<string, string> | undefined): Source {
  const s = query?.source;
  return s === 'ctdc' || s === 'haven,ctdc' ? s : 'haven';
}

// The reports that count persons identified: only they can count imported records.
const PERSON_REPORTS = ['annual', 'greta', 'unodc', 'osce'];

export function countsPersons(name: string): boolean {
  return PERSON_REPORTS.includes(name);
}

// The address of the list, and of a report, for a year and the records counted (left
// out of the address when they are Haven's own cases, as the server counts by default).
function withParams(path: string, year: number, source: Source): string {
  const q = new URLSearchParams({ year: String(year) });
  if (source !== 'haven') q.set('source', source);
  return `${path}?${q.toString()}`;
}

export function listHref(year: number, source: Source): string {
  return withParams('/reports', year, source);
}

export function reportHref(name: string, year: number, source: Source): string {
  return withParams(`/reports/${encodeURIComponent(name)}`, year, countsPersons(name) ? source : 'haven');
}

export function sourceOptions(T: typeof t): Array<{ value: string; label: string }> {
  return [
    { value: 'haven', label: T('reports:source.haven') },
    { value: 'ctdc', label: T('reports:source.ctdc') },
    { value: 'haven,ctdc', label: T('reports:source.both') },
  ];
}

// The years one can ask about: Haven's statistics start in 2000 (the server's range
// of a differentially private release), and end with this year.
export const FIRST_YEAR = 2000;

export function thisYear(): number {
  return new Date().getFullYear();
}

// The year in the address (?year=2025), if it is one the server takes.
export function yearOf(query: Record<string, string> | undefined): number {
  const y = Number(query?.year);
  return Number.isInteger(y) && y >= 1900 && y <= 2200 ? y : thisYear();
}

export function yearOptions(selected: number): Array<{ value: string; label: string }> {
  const years: number[] = [];
  for (let y = thisYear(); y >= FIRST_YEAR; y--) years.push(y);
  if (!years.includes(selected)) years.unshift(selected);
  return years.map((y) => ({ value: String(y), label: String(y) }));
}

// The title and description of a named report in the chosen language; null for a
// report this version of the web application does not know (the server's English
// text is shown then).
export function reportText(T: typeof t, name: string): { title: string; description: string } | null {
  switch (name) {
    case 'annual':
      return { title: T('reports:names.annual.title'), description: T('reports:names.annual.description') };
    case 'greta':
      return { title: T('reports:names.greta.title'), description: T('reports:names.greta.description') };
    case 'unodc':
      return { title: T('reports:names.unodc.title'), description: T('reports:names.unodc.description') };
    case 'osce':
      return { title: T('reports:names.osce.title'), description: T('reports:names.osce.description') };
    case 'allowances':
      return { title: T('reports:names.allowances.title'), description: T('reports:names.allowances.description') };
    case 'referrals':
      return { title: T('reports:names.referrals.title'), description: T('reports:names.referrals.description') };
    case 'awareness':
      return { title: T('reports:names.awareness.title'), description: T('reports:names.awareness.description') };
    default:
      return null;
  }
}

export default function Reports() {
  const T = useT();
  usePageTitle(T('reports:title'));
  const { query, route } = useLocation();
  const year = yearOf(query);
  const source = sourceOf(query);
  const list = useAsync(() => api.get<ReportListJson>('/api/v1/reports'), []);

  return (
    <>
      <h1>{T('reports:title')}</h1>
      <p class="lead">{T('reports:intro')}</p>
      <div class="filters">
        <SelectField
          id="reports-year"
          label={T('reports:year')}
          hint={T('reports:year_hint')}
          value={String(year)}
          options={yearOptions(year)}
          onChange={(y) => route(listHref(Number(y), source), true)}
        />
      </div>
      <Loaded value={list}>
        {(d) => (
          <ul class="report-list">
            {d.reports.map((r) => {
              const text = reportText(T, r.name);
              return (
                <li key={r.name} class="report-list__item">
                  <h2 class="report-list__title">
                    <a href={reportHref(r.name, year, source)}>
                      {text ? text.title : <span lang="en">{r.title}</span>}
                      <span class="visually-hidden">, {year}</span>
                    </a>
                  </h2>
                  <p class="report-list__description">
                    {text ? text.description : <span lang="en">{r.description}</span>}
                  </p>
                </li>
              );
            })}
          </ul>
        )}
      </Loaded>
      <p class="report-list__protection">{T('reports:protection')}</p>
      <PrivacyBudget year={year} />
      <CtdcExport />
    </>
  );
}

// How much of the year's privacy budget noisy releases have spent, and by whom: an
// analyst sees what is left before asking, and the coordinator who spent it.
function PrivacyBudget({ year }: { year: number }) {
  const T = useT();
  const budget = useAsync(() => api.get<BudgetJson>('/api/v1/reports/privacy-budget', { year }), [year]);
  const eps = (n: number) => formatNumber(n, 3);
  return (
    <section class="section report-budget" aria-labelledby="report-budget-title">
      <h2 id="report-budget-title">{T('reports:budget.title', { year })}</h2>
      <p>{T('reports:budget.intro')}</p>
      <Loaded value={budget}>
        {(b) => {
          const y = b.years[0];
          return (
            <>
              {b.per_analyst !== null && <p>{T('reports:budget.share', { share: eps(b.per_analyst) })}</p>}
              {!y || y.by.length === 0 ? (
                <p>{T('reports:budget.none', { year, budget: eps(b.budget) })}</p>
              ) : (
                <>
                  <p>{T('reports:budget.spent', { spent: eps(y.spent), budget: eps(y.budget), left: eps(y.left) })}</p>
                  <DataTable
                    caption={T('reports:budget.title', { year })}
                    columns={[
                      T('reports:budget.user'),
                      { label: T('reports:budget.releases'), numeric: true },
                      { label: T('reports:budget.user_spent'), numeric: true },
                      ...(b.per_analyst !== null ? [{ label: T('reports:budget.user_left'), numeric: true }] : []),
                    ]}
                  >
                    {y.by.map((u) => (
                      <tr key={u.user_id}>
                        <th scope="row">{u.user_id === 0 ? T('reports:budget.operator') : u.username}</th>
                        <td class="num">{formatNumber(u.releases)}</td>
                        <td class="num">{eps(u.spent)}</td>
                        {b.per_analyst !== null && <td class="num">{u.left === null ? '' : eps(u.left)}</td>}
                      </tr>
                    ))}
                  </DataTable>
                </>
              )}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}
