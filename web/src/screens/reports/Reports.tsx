// The statistics reports an analyst or the coordinator can run: each named report
// with what it holds, for a chosen year of identification (the server requires one).
import { useLocation } from 'preact-iso';
import { api } from '../../api';
import { SelectField } from '../../components/forms';
import { Loaded, useAsync, usePageTitle } from '../../components/ui';
import { useT, type t } from '../../i18n';
import './reports.css';

interface ReportListJson {
  reports: Array<{ name: string; title: string; description: string }>;
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
          onChange={(y) => route(`/reports?year=${y}`, true)}
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
                    <a href={`/reports/${encodeURIComponent(r.name)}?year=${year}`}>
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
    </>
  );
}
