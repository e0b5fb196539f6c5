// International cooperation: the agreements with partners (memoranda, projects, grants,
// cooperation agreements), by one partner if chosen (kept in the address), and the
// conventions the state has joined with their reporting rounds, each round with the
// GRETA report of every year it covers. The coordinating body records them.
import { useLocation } from 'preact-iso';
import { useRef, useState } from 'preact/hooks';
import { api } from '../../api';
import { SelectField, type FieldErrors } from '../../components/forms';
import { RecordForm, valuesOf, type FieldSpec, type Values } from '../../components/RecordForm';
import { DataTable, ErrorNotice, Facts, Loaded, Loading, Notice, Tag, useAsync, usePageTitle } from '../../components/ui';
import { formatDate, locale, t, todayIso, useT } from '../../i18n';
import { useOrganizations } from '../../organizations';
import { can } from '../../session';
import { useLabels } from '../../vocab';
import { agreementBody, agreementCheck, agreementFields } from './agreements';
import { agreementTone, namesOf, organizationOptions, type Agreement, type Convention, type ReportingRound } from './types';
import { useReveal } from './reveal';
import './prevention.css';

// A notice of what was just recorded that takes the focus, for a screen reader to say it.
function useNotice() {
  const [text, setText] = useState('');
  const ref = useRef<HTMLDivElement>(null);
  return {
    text,
    ref,
    show: (x: string) => {
      setText(x);
      setTimeout(() => ref.current?.focus(), 0);
    },
    clear: () => setText(''),
  };
}

function NoticeArea({ notice }: { notice: ReturnType<typeof useNotice> }) {
  if (!notice.text) return null;
  return (
    <div ref={notice.ref} tabIndex={-1}>
      <Notice kind="success">{notice.text}</Notice>
    </div>
  );
}

export default function Cooperation() {
  const T = useT();
  usePageTitle(T('prevention:cooperation.title'));
  return (
    <>
      <h1>{T('prevention:cooperation.title')}</h1>
      <p class="lead">{T('prevention:cooperation.intro')}</p>
      <Agreements />
      <Conventions />
    </>
  );
}

// ---- agreements

function Agreements() {
  const T = useT();
  const labels = useLabels();
  const orgs = useOrganizations();
  const { query, route } = useLocation();
  const partner = /^\d+$/.test(query.partner ?? '') ? query.partner : '';
  // Every agreement, for the partners one can filter by; the list shown from the server,
  // by the chosen partner. The answer keeps the partner it is for: while another's load,
  // the table and its caption stay those of the last answer.
  const all = useAsync(() => api.get<{ items: Agreement[] }>('/api/v1/agreements'), []);
  const list = useAsync(
    () => api.get<{ items: Agreement[] }>('/api/v1/agreements', { party_organization_id: partner }).then((r) => ({ partner, items: r.items })),
    [partner],
  );
  const form = useReveal();
  const notice = useNotice();
  const manage = can('manage_cooperation');
  const partners = [...new Set((all.data?.items ?? []).flatMap((a) => a.party_organization_ids))]
    .map((id) => ({ value: String(id), label: orgs.name(id) }))
    .sort((a, b) => a.label.localeCompare(b.label, locale()));

  return (
    <section class="section" aria-labelledby="coop-agreements">
      <div class="toolbar">
        <h2 id="coop-agreements">{T('prevention:cooperation.agreements')}</h2>
        {manage && !form.open && (
          <button
            type="button"
            class="button"
            ref={form.button}
            onClick={() => {
              notice.clear();
              form.show();
            }}
          >
            {T('prevention:cooperation.record_agreement')}
          </button>
        )}
      </div>
      <NoticeArea notice={notice} />
      {manage && form.open && (
        <div ref={form.area}>
          {orgs.ready && labels.ready ? (
            <RecordForm
              title={T('prevention:cooperation.record_agreement')}
              fields={agreementFields(T, labels, organizationOptions(orgs.list))}
              submitLabel={T('prevention:cooperation.submit_agreement')}
              check={agreementCheck(T)}
              submit={(b, headers) => api.post<Agreement>('/api/v1/agreements', agreementBody(b), headers)}
              onDone={(a) => {
                form.hide(false);
                notice.show(T('prevention:cooperation.agreement_recorded', { title: (a as Agreement).title }));
                all.reload();
                list.reload();
              }}
              onCancel={() => form.hide(true)}
            />
          ) : (
            <>{orgs.error ? <ErrorNotice error={orgs.error} /> : <Loading />}</>
          )}
        </div>
      )}
      {partners.length > 0 && (
        <div class="filters">
          <SelectField
            id="coop-partner"
            label={T('prevention:cooperation.filter_partner')}
            value={partner}
            empty={T('prevention:cooperation.every_partner')}
            options={partners}
            onChange={(v) => route(v ? `/cooperation?partner=${v}` : '/cooperation', true)}
          />
        </div>
      )}
      <Loaded value={list}>
        {(d) =>
          d.items.length === 0 ? (
            <p>{d.partner ? T('prevention:cooperation.none_for_partner') : T('prevention:cooperation.no_agreements')}</p>
          ) : (
            <div aria-busy={list.loading ? 'true' : undefined}>
              <DataTable
                caption={d.partner ? T('prevention:cooperation.agreements_with', { name: orgs.name(Number(d.partner)) }) : T('prevention:cooperation.agreements_caption')}
                columns={[
                  T('prevention:cooperation.agreement_title'),
                  T('prevention:cooperation.kind'),
                  T('prevention:cooperation.partners'),
                  T('prevention:cooperation.period'),
                  T('prevention:cooperation.status'),
                ]}
              >
                {d.items.map((a) => (
                  <tr key={a.id}>
                    <td>
                      <a href={`/agreements/${a.id}`}>{a.title}</a>
                    </td>
                    <td>{labels.label('agreement_kinds', a.kind)}</td>
                    <td>{namesOf(a.party_organization_ids, orgs.name)}</td>
                    <td class="nowrap">{periodOf(T, a)}</td>
                    <td>
                      <Tag tone={agreementTone(a.status)}>{labels.label('agreement_statuses', a.status)}</Tag>
                    </td>
                  </tr>
                ))}
              </DataTable>
            </div>
          )
        }
      </Loaded>
    </section>
  );
}

// "1 Mar 2024 – 28 Feb 2027", or "From 1 Mar 2024" without an end.
function periodOf(T: typeof t, a: Pick<Agreement, 'starts_on' | 'ends_on'>): string {
  return a.ends_on ? `${formatDate(a.starts_on)} – ${formatDate(a.ends_on)}` : T('prevention:cooperation.from', { date: formatDate(a.starts_on) });
}

// ---- conventions

function Conventions() {
  const T = useT();
  const conventions = useAsync(() => api.get<{ items: Convention[] }>('/api/v1/conventions'), []);
  const form = useReveal();
  const notice = useNotice();
  const manage = can('manage_cooperation');
  const fields: FieldSpec[] = [
    { name: 'title', kind: 'text', label: T('prevention:cooperation.convention_title'), hint: T('prevention:cooperation.convention_title_hint'), required: true },
    { name: 'monitoring_body', kind: 'text', label: T('prevention:cooperation.monitoring_body'), hint: T('prevention:cooperation.monitoring_body_hint') },
    { name: 'joined_on', kind: 'date', label: T('prevention:cooperation.joined_on'), hint: T('prevention:cooperation.joined_on_hint'), required: true },
  ];
  const check = (v: Values): FieldErrors => ((v.joined_on as string) > todayIso() ? { joined_on: T('errors.field.future') } : {});

  return (
    <section class="section" aria-labelledby="coop-conventions">
      <div class="toolbar">
        <h2 id="coop-conventions">{T('prevention:cooperation.conventions')}</h2>
        {manage && !form.open && (
          <button
            type="button"
            class="button"
            ref={form.button}
            onClick={() => {
              notice.clear();
              form.show();
            }}
          >
            {T('prevention:cooperation.record_convention')}
          </button>
        )}
      </div>
      <NoticeArea notice={notice} />
      {manage && form.open && (
        <div ref={form.area}>
          <RecordForm
            title={T('prevention:cooperation.record_convention')}
            fields={fields}
            submitLabel={T('prevention:cooperation.submit_convention')}
            check={check}
            submit={(b, headers) => api.post<Convention>('/api/v1/conventions', b, headers)}
            onDone={(c) => {
              form.hide(false);
              notice.show(T('prevention:cooperation.convention_recorded', { title: (c as Convention).title }));
              conventions.reload();
            }}
            onCancel={() => form.hide(true)}
          />
        </div>
      )}
      <Loaded value={conventions}>
        {(d) =>
          d.items.length === 0 ? (
            <p>{T('prevention:cooperation.no_conventions')}</p>
          ) : (
            <>
              {d.items.map((c) => (
                <ConventionBlock
                  key={c.id}
                  convention={c}
                  manage={manage}
                  onRound={(r, changed) => {
                    notice.show(T(changed ? 'prevention:cooperation.round_changed' : 'prevention:cooperation.round_added', { number: r.number, title: c.title }));
                    conventions.reload();
                  }}
                />
              ))}
            </>
          )
        }
      </Loaded>
    </section>
  );
}

function ConventionBlock({ convention: c, manage, onRound }: { convention: Convention; manage: boolean; onRound: (r: ReportingRound, changed: boolean) => void }) {
  const T = useT();
  const adding = useReveal();
  const [editing, setEditing] = useState<ReportingRound | null>(null);
  const headingId = `convention-${c.id}`;
  // The reports are the statistics roles' (the server decides all the same).
  const reports = can('read_statistics');
  const next = c.rounds.reduce((n, r) => Math.max(n, r.number), 0) + 1;
  const joinedYear = Number(c.joined_on.slice(0, 4));
  const fields: FieldSpec[] = [
    { name: 'number', kind: 'integer', label: T('prevention:cooperation.round_number'), required: true },
    { name: 'first_year', kind: 'integer', label: T('prevention:cooperation.first_year'), hint: T('prevention:cooperation.first_year_hint', { year: joinedYear }), required: true },
    { name: 'last_year', kind: 'integer', label: T('prevention:cooperation.last_year'), required: true },
    { name: 'due_on', kind: 'date', label: T('prevention:cooperation.due_on'), hint: T('prevention:cooperation.due_on_hint') },
    { name: 'submitted_on', kind: 'date', label: T('prevention:cooperation.submitted_on'), hint: T('prevention:cooperation.submitted_on_hint') },
  ];
  const check = (v: Values): FieldErrors => {
    const problems: FieldErrors = {};
    const first = Number(v.first_year);
    const last = Number(v.last_year);
    if (first < joinedYear) problems.first_year = T('prevention:cooperation.before_joined', { year: joinedYear });
    if (last < first) problems.last_year = T('prevention:cooperation.last_before_first');
    if (v.submitted_on && (v.submitted_on as string) > todayIso()) problems.submitted_on = T('errors.field.future');
    return problems;
  };

  return (
    <article class="record convention" aria-labelledby={headingId}>
      <div class="toolbar">
        <h3 id={headingId}>{c.title}</h3>
        {manage && !adding.open && (
          <button type="button" class="button button--secondary" ref={adding.button} onClick={adding.show}>
            {T('prevention:cooperation.add_round')}
            <span class="visually-hidden"> — {c.title}</span>
          </button>
        )}
      </div>
      <Facts
        rows={[
          [T('prevention:cooperation.monitoring_body'), c.monitoring_body],
          [T('prevention:cooperation.joined_on'), formatDate(c.joined_on)],
        ]}
      />
      {manage && adding.open && (
        <div ref={adding.area}>
          <RecordForm
            title={T('prevention:cooperation.add_round_to', { title: c.title })}
            fields={fields}
            initial={{ number: String(next) }}
            submitLabel={T('prevention:cooperation.submit_round')}
            check={check}
            submit={(b, headers) => api.post<ReportingRound>(`/api/v1/conventions/${c.id}/rounds`, b, headers)}
            onDone={(r) => {
              adding.hide(false);
              onRound(r as ReportingRound, false);
            }}
            onCancel={() => adding.hide(true)}
          />
        </div>
      )}
      {c.rounds.length === 0 ? (
        <p>{T('prevention:cooperation.no_rounds')}</p>
      ) : (
        <DataTable
          caption={T('prevention:cooperation.rounds_of', { title: c.title })}
          columns={[
            T('prevention:cooperation.round'),
            T('prevention:cooperation.years'),
            T('prevention:cooperation.due_on'),
            T('prevention:cooperation.submitted_on'),
            T('prevention:cooperation.reports'),
            ...(manage ? [T('prevention:cooperation.round_change_column')] : []),
          ]}
        >
          {c.rounds.map((r) => (
            <tr key={r.id}>
              <td>{r.number}</td>
              <td class="nowrap">{r.first_year === r.last_year ? r.first_year : `${r.first_year}–${r.last_year}`}</td>
              <td class="nowrap">{r.due_on ? formatDate(r.due_on) : '—'}</td>
              <td class="nowrap">{r.submitted_on ? formatDate(r.submitted_on) : T('prevention:cooperation.not_submitted')}</td>
              <td>
                <ul class="report-links">
                  {r.reports.map((x) => (
                    <li key={x.year}>
                      {reports ? (
                        <a href={reportScreen(x.report, x.year)}>
                          <span aria-hidden="true">{x.year}</span>
                          <span class="visually-hidden">{T('prevention:cooperation.report_of', { year: x.year })}</span>
                        </a>
                      ) : (
                        x.year
                      )}
                    </li>
                  ))}
                </ul>
              </td>
              {manage && (
                <td>
                  <button type="button" class="button button--secondary" onClick={() => setEditing(r)}>
                    {T('common:change')}
                    <span class="visually-hidden"> {T('prevention:cooperation.round')} {r.number}</span>
                  </button>
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      )}
      {manage && editing && (
        <RecordForm
          key={editing.id}
          title={T('prevention:cooperation.change_round', { number: editing.number })}
          fields={fields.filter((f) => f.name !== 'number')}
          initial={valuesOf(editing as unknown as Record<string, unknown>, fields.filter((f) => f.name !== 'number'))}
          submitLabel={T('common:save')}
          check={check}
          submit={(b) => api.put<ReportingRound>(`/api/v1/conventions/${c.id}/rounds/${editing.number}`, b)}
          onDone={(r) => {
            setEditing(null);
            onRound(r as ReportingRound, true);
          }}
          onCancel={() => setEditing(null)}
        />
      )}
    </article>
  );
}

// The report screen for the API address of a named report (/api/v1/reports/greta?year=2019
// is read at /reports/greta?year=2019).
function reportScreen(api: string, year: number): string {
  const m = /^\/api\/v1\/reports\/([a-z_]+)/.exec(api);
  return `/reports/${m ? m[1] : 'greta'}?year=${year}`;
}
