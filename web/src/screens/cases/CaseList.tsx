// Cases by code, never by name: filters (kept in the address, which holds no identity)
// and paging from the server, so it stays quick with 100,000 cases.
import { useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { api, type Page } from '../../api';
import { SelectField, TextField } from '../../components/forms';
import { Loaded, Pager, Tag, useAsync, usePageTitle, usePager, DataTable } from '../../components/ui';
import { formatDate, useT } from '../../i18n';
import { can } from '../../session';
import { useLabels } from '../../vocab';
import { AGE_GROUPS, citizenshipLabel, type CaseRow } from './types';

const FILTERS = ['code', 'status', 'year', 'exploitation', 'region', 'age_group', 'assigned_to', 'due_within_days'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

export function statusTone(status: string | undefined): 'neutral' | 'good' | 'warn' | 'bad' {
  if (status === 'closed') return 'neutral';
  if (status === 'reintegrated') return 'good';
  if (status === 'identified' || status === 'referred') return 'warn';
  return 'neutral';
}

export default function CaseList() {
  const T = useT();
  const labels = useLabels();
  const location = useLocation();
  usePageTitle(T('cases:list.title'));
  const applied: Filters = {};
  for (const f of FILTERS) if (location.query[f]) applied[f] = location.query[f];
  const [draft, setDraft] = useState<Filters>(applied);
  const key = JSON.stringify(applied);
  const pager = usePager(key);
  useEffect(() => setDraft(applied), [key]);

  const cases = useAsync(
    () => api.get<Page<CaseRow>>('/api/v1/cases', { ...applied, limit: 25, cursor: pager.cursor }),
    [key, pager.cursor],
  );

  const apply = (e: Event) => {
    e.preventDefault();
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(draft)) if (v) params.set(k, v.trim());
    const qs = params.toString();
    location.route(qs ? `/cases?${qs}` : '/cases');
  };
  const set = (k: keyof Filters) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const years = Array.from({ length: 12 }, (_, i) => String(new Date().getFullYear() - i));
  const own = can('read_own_cases');

  return (
    <>
      <div class="toolbar">
        <h1>{T('cases:list.title')}</h1>
        {can('create_case') && (
          <a class="button" href="/cases/new">
            {T('cases:list.register')}
          </a>
        )}
      </div>
      <form class="filters" onSubmit={apply} role="search" aria-label={T('cases:list.filters')}>
        <TextField id="f-code" label={T('cases:fields.code')} value={draft.code ?? ''} onInput={set('code')} width="short" />
        <SelectField id="f-status" label={T('cases:fields.status')} value={draft.status ?? ''} onChange={set('status')} empty={T('common:any')}
          options={labels.terms('case_statuses').map((x) => ({ value: x.code, label: x.label }))} />
        <SelectField id="f-year" label={T('cases:list.year')} value={draft.year ?? ''} onChange={set('year')} empty={T('common:any')}
          options={years.map((y) => ({ value: y, label: y }))} />
        <SelectField id="f-exploitation" label={T('cases:fields.exploitation')} value={draft.exploitation ?? ''} onChange={set('exploitation')} empty={T('common:any')}
          options={labels.terms('forms_of_exploitation').map((x) => ({ value: x.code, label: x.label }))} />
        <SelectField id="f-region" label={T('cases:fields.region')} value={draft.region ?? ''} onChange={set('region')} empty={T('common:any')}
          options={labels.regions.map((x) => ({ value: x.code, label: x.label }))} />
        <SelectField id="f-age" label={T('cases:fields.age_group')} value={draft.age_group ?? ''} onChange={set('age_group')} empty={T('common:any')}
          options={AGE_GROUPS.map((a) => ({ value: a, label: a === 'unknown' ? T('cases:age_unknown') : a }))} />
        {own && (
          <SelectField id="f-assigned" label={T('cases:list.assigned')} value={draft.assigned_to ?? ''} onChange={set('assigned_to')} empty={T('common:any')}
            options={[{ value: 'me', label: T('cases:list.assigned_me') }, { value: 'none', label: T('cases:list.assigned_none') }]} />
        )}
        {own && (
          <SelectField id="f-due" label={T('cases:list.due')} value={draft.due_within_days ?? ''} onChange={set('due_within_days')} empty={T('common:any')}
            options={['7', '30'].map((d) => ({ value: d, label: T('cases:list.due_days', { count: Number(d) }) }))} />
        )}
        <div class="field button-row">
          <button type="submit" class="button">{T('common:apply_filters')}</button>
          <a class="button button--secondary" href="/cases">{T('common:clear')}</a>
        </div>
      </form>
      <Loaded value={cases}>
        {(page) => (
          <>
            {page.items.length === 0 ? (
              <p>{T('cases:list.none')}</p>
            ) : (
              <DataTable caption={T('cases:list.title')} columns={[T('cases:fields.code'), T('cases:fields.status'), T('cases:fields.identified_on'), T('cases:fields.sex'), T('cases:fields.age_group'), T('cases:fields.citizenship'), T('cases:fields.exploitation')]}>
                {page.items.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <a href={`/cases/${c.id}`}>{c.code}</a>
                    </td>
                    <td>{c.status && <Tag tone={statusTone(c.status)}>{labels.label('case_statuses', c.status)}</Tag>}</td>
                    <td>{formatDate(c.identified_on)}</td>
                    <td>{labels.label('sexes', c.sex)}</td>
                    <td>{c.age_group === 'unknown' ? T('cases:age_unknown') : c.age_group}</td>
                    <td>{citizenshipLabel(c.citizenship, labels.country, T)}</td>
                    <td>{(c.exploitation ?? []).map((x) => labels.label('forms_of_exploitation', x)).join(', ')}</td>
                  </tr>
                ))}
              </DataTable>
            )}
            <Pager pager={pager} nextCursor={page.next_cursor} total={page.total} />
          </>
        )}
      </Loaded>
    </>
  );
}
