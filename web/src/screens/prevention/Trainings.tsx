// The awareness work of the coalition: trainings, seminars, campaigns and information
// sessions, the latest first, by year and region (kept in the address; an agreement's page
// links to the events held under it); case staff record
// their own organisation's events, the coordinating body any. Nothing here is about a
// person: participants are counts.
import { useLocation } from 'preact-iso';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Page } from '../../api';
import { SelectField, type FieldErrors, type Option } from '../../components/forms';
import { RecordForm, type FieldSpec, type Values } from '../../components/RecordForm';
import { DataTable, ErrorNotice, Loaded, Loading, Notice, Pager, useAsync, usePageTitle, usePager } from '../../components/ui';
import { formatNumber, t, todayIso, useT } from '../../i18n';
import { useOrganizations } from '../../organizations';
import { can, session } from '../../session';
import { useLabels, type Labels } from '../../vocab';
import { distinctRegions, eventDates, namesOf, organizationOptions, regionName, type AwarenessEvent } from './types';
import { useReveal } from './reveal';
import './prevention.css';

const PAGE = 25;
const AGE_GROUPS = ['under_18', '18_29', '30_49', '50_and_over'];

export default function Trainings() {
  const T = useT();
  const labels = useLabels();
  const orgs = useOrganizations();
  const location = useLocation();
  usePageTitle(T('prevention:events.title'));
  const year = location.query.year ?? '';
  const region = location.query.region ?? '';
  const agreement = location.query.agreement ?? '';
  const key = `${year}|${region}|${agreement}`;
  const pager = usePager(key);
  const events = useAsync(
    () => api.get<Page<AwarenessEvent>>('/api/v1/trainings', { year, region, agreement_id: agreement || undefined, limit: PAGE, cursor: pager.cursor }),
    [key, pager.cursor],
  );
  const [draft, setDraft] = useState({ year, region });
  useEffect(() => setDraft({ year, region }), [key]);
  const regions = distinctRegions(labels);
  const form = useReveal();
  const [notice, setNotice] = useState('');
  const noticeRef = useRef<HTMLDivElement>(null);

  const apply = (e: Event) => {
    e.preventDefault();
    const params = new URLSearchParams();
    if (draft.year) params.set('year', draft.year);
    if (draft.region) params.set('region', draft.region);
    const qs = params.toString();
    location.route(qs ? `/trainings?${qs}` : '/trainings');
  };
  // As the statistics: from 2000 to this year.
  const years = Array.from({ length: new Date().getFullYear() - 1999 }, (_, i) => String(new Date().getFullYear() - i));
  const open = () => {
    setNotice('');
    form.show();
  };

  return (
    <>
      <div class="toolbar">
        <h1>{T('prevention:events.title')}</h1>
        <div class="button-row prevention-actions">
          {can('read_statistics') && (
            <a class="button button--secondary" href="/trainings/coverage">
              {T('prevention:coverage.title')}
            </a>
          )}
          {can('record_events') && !form.open && (
            <button type="button" class="button" ref={form.button} onClick={open}>
              {T('prevention:events.record')}
            </button>
          )}
        </div>
      </div>
      <p class="lead">{T('prevention:events.intro')}</p>
      {notice && (
        <div ref={noticeRef} tabIndex={-1}>
          <Notice kind="success">{notice}</Notice>
        </div>
      )}
      {form.open && (
        <div ref={form.area}>
          {orgs.ready ? (
            <RecordEventForm
              labels={labels}
              options={organizationOptions(orgs.list, [session.get()?.user.organization_id ?? 0])}
              onDone={(e) => {
                form.hide(false);
                setNotice(T('prevention:events.recorded', { what: labels.label('event_kinds', e.kind), region: regionName(regions, e.region) }));
                pager.reset();
                events.reload();
                setTimeout(() => noticeRef.current?.focus(), 0);
              }}
              onCancel={() => form.hide(true)}
            />
          ) : (
            <>{orgs.error ? <ErrorNotice error={orgs.error} /> : <Loading />}</>
          )}
        </div>
      )}
      <form class="filters" onSubmit={apply} role="search" aria-label={T('prevention:events.filters')}>
        <SelectField
          id="f-year"
          label={T('prevention:events.year')}
          value={draft.year}
          onChange={(v) => setDraft((d) => ({ ...d, year: v }))}
          empty={T('common:any')}
          options={years.map((y) => ({ value: y, label: y }))}
        />
        <SelectField
          id="f-region"
          label={T('prevention:events.region')}
          value={draft.region}
          onChange={(v) => setDraft((d) => ({ ...d, region: v }))}
          empty={T('common:any')}
          options={regions.map((r) => ({ value: r.code, label: r.label }))}
        />
        <div class="field button-row">
          <button type="submit" class="button">
            {T('common:apply_filters')}
          </button>
          <a class="button button--secondary" href="/trainings">
            {T('common:clear')}
          </a>
        </div>
      </form>
      <Loaded value={events}>
        {(page) =>
          page.items.length === 0 ? (
            <p>{year || region ? T('prevention:events.none_filtered') : T('prevention:events.none')}</p>
          ) : (
            <>
              <DataTable
                caption={T('prevention:events.caption')}
                columns={[
                  T('prevention:events.dates'),
                  T('prevention:events.kind'),
                  T('prevention:events.region'),
                  T('prevention:events.organizers'),
                  T('prevention:events.topics'),
                  { label: T('prevention:events.participants'), numeric: true },
                ]}
              >
                {page.items.map((e) => (
                  <tr key={e.id}>
                    <td class="nowrap">{eventDates(e)}</td>
                    <td>
                      {labels.label('event_kinds', e.kind)}
                      {e.title && <div class="cell-note">{e.title}</div>}
                    </td>
                    <td>
                      {regionName(regions, e.region)}
                      {e.place && <div class="cell-note">{e.place}</div>}
                    </td>
                    <td>{namesOf(e.organizer_organization_ids, orgs.name)}</td>
                    <td>{e.topics.map((x) => labels.label('event_topics', x)).join(', ')}</td>
                    <td class="num">
                      {formatNumber(e.participants.total)}
                      <div class="cell-note num-note">
                        {T('prevention:events.by_sex', { female: formatNumber(e.participants.female), male: formatNumber(e.participants.male) })}
                      </div>
                    </td>
                  </tr>
                ))}
              </DataTable>
              {(pager.page > 1 || page.next_cursor) && <Pager pager={pager} nextCursor={page.next_cursor} />}
            </>
          )
        }
      </Loaded>
    </>
  );
}

type Tr = typeof t;
const termOptions = (labels: Labels, vocabulary: string) => labels.terms(vocabulary).map((x) => ({ value: x.code, label: x.label }));

function eventFields(T: Tr, labels: Labels, options: ReturnType<typeof organizationOptions>, forAny: boolean, agreements: Option[]): FieldSpec[] {
  const byAge = (v: Values) => v.by_age === 'yes';
  return [
    { name: 'kind', kind: 'select', label: T('prevention:events.kind'), options: termOptions(labels, 'event_kinds'), required: true },
    { name: 'title', kind: 'text', label: T('prevention:event.title'), hint: T('prevention:event.title_hint') },
    { name: 'starts_on', kind: 'date', label: T('prevention:event.starts_on'), hint: T('prevention:event.starts_on_hint'), required: true },
    { name: 'ends_on', kind: 'date', label: T('prevention:event.ends_on'), hint: T('prevention:event.ends_on_hint') },
    { name: 'region', kind: 'select', label: T('prevention:events.region'), options: distinctRegions(labels).map((r) => ({ value: r.code, label: r.label })), required: true },
    { name: 'place', kind: 'text', label: T('prevention:event.place'), hint: T('prevention:event.place_hint') },
    {
      name: 'organizer_organization_ids',
      kind: 'multiselect',
      label: T('prevention:events.organizers'),
      hint: forAny ? T('prevention:event.organizers_hint_any') : T('prevention:event.organizers_hint_own'),
      addLabel: T('prevention:event.add_organizer'),
      options,
      required: true,
    },
    { name: 'topics', kind: 'checkboxes', label: T('prevention:events.topics'), options: termOptions(labels, 'event_topics'), required: true },
    { name: 'audience', kind: 'checkboxes', label: T('prevention:event.audience'), options: termOptions(labels, 'audiences'), required: true },
    { name: 'female', kind: 'integer', label: T('prevention:event.female'), required: true },
    { name: 'male', kind: 'integer', label: T('prevention:event.male'), required: true },
    { name: 'materials_distributed', kind: 'integer', label: T('prevention:event.materials'), hint: T('prevention:event.materials_hint') },
    { name: 'funded_by_organization_id', kind: 'select', label: T('prevention:event.funded_by'), hint: T('prevention:event.funded_by_hint'), options },
    { name: 'agreement_id', kind: 'select', label: T('prevention:event.agreement'), hint: T('prevention:event.agreement_hint'), options: agreements },
    { name: 'by_age', kind: 'yesno', label: T('prevention:event.by_age'), hint: T('prevention:event.by_age_hint') },
    ...AGE_GROUPS.map(
      (g): FieldSpec => ({ name: g, kind: 'integer', label: T('prevention:event.age_group', { group: labels.label('participant_age_groups', g) }), when: byAge }),
    ),
  ];
}

const count = (v: Values, name: string) => Number((v[name] as string | undefined)?.trim() || '0');

// What the server takes: the participants as one object, organisations by number.
function eventBody(b: Record<string, unknown>): Record<string, unknown> {
  const { female, male, by_age: _, materials_distributed, funded_by_organization_id, agreement_id, organizer_organization_ids, ...rest } = b;
  const body: Record<string, unknown> = {
    ...rest,
    organizer_organization_ids: (organizer_organization_ids as string[]).map(Number),
    participants: { female, male },
  };
  for (const g of AGE_GROUPS) delete body[g];
  const ages = AGE_GROUPS.filter((g) => b[g] !== undefined);
  if (b.by_age === true && ages.length) (body.participants as Record<string, unknown>).by_age = Object.fromEntries(ages.map((g) => [g, b[g]]));
  if (materials_distributed !== undefined) body.materials_distributed = materials_distributed;
  if (funded_by_organization_id) body.funded_by_organization_id = Number(funded_by_organization_id);
  if (agreement_id) body.agreement_id = Number(agreement_id);
  return body;
}

function RecordEventForm({
  labels,
  options,
  onDone,
  onCancel,
}: {
  labels: Labels;
  options: ReturnType<typeof organizationOptions>;
  onDone: (e: AwarenessEvent) => void;
  onCancel: () => void;
}) {
  const T = useT();
  const own = session.get()?.user.organization_id;
  // The agreements an event may be held under: those not yet ended or terminated.
  const agreements = useAsync(() => api.get<{ items: Array<{ id: number; title: string; status: string }> }>('/api/v1/agreements'), []);
  const agreementOptions: Option[] = (agreements.data?.items ?? [])
    .filter((a) => a.status === 'in_force' || a.status === 'draft')
    .map((a) => ({ value: String(a.id), label: a.title }));
  // The coordinating body records any organisation's events; case staff their own's.
  const forAny = can('manage_plans');
  const check = (v: Values): FieldErrors => {
    const problems: FieldErrors = {};
    const organizers = (v.organizer_organization_ids as string[]) ?? [];
    if (!forAny && own && !organizers.includes(String(own))) problems.organizer_organization_ids = T('prevention:event.own_missing');
    if (v.starts_on && (v.starts_on as string) > todayIso()) problems.starts_on = T('prevention:event.future');
    if (v.ends_on && v.starts_on && (v.ends_on as string) < (v.starts_on as string)) problems.ends_on = T('errors.field.before_start');
    if (v.by_age === 'yes') {
      const sum = AGE_GROUPS.reduce((n, g) => n + count(v, g), 0);
      const total = count(v, 'female') + count(v, 'male');
      if (sum !== total) problems.by_age = T('errors.field.age_sum', { sum: formatNumber(sum), total: formatNumber(total) });
    }
    return problems;
  };
  return (
    <RecordForm
      title={T('prevention:events.record')}
      fields={eventFields(T, labels, options, forAny, agreementOptions)}
      initial={{ organizer_organization_ids: own ? [String(own)] : [], by_age: 'no' }}
      submitLabel={T('prevention:event.submit')}
      check={check}
      alias={{ 'participants.by_age': 'by_age', participants: 'female' }}
      submit={(b, headers) => api.post<AwarenessEvent>('/api/v1/trainings', eventBody(b), headers)}
      onDone={(e) => onDone(e as AwarenessEvent)}
      onCancel={onCancel}
    />
  );
}
