// One action plan: where it stands today (measures by status, by responsible body, the
// overdue ones by deadline) and its measures in the order of their codes, by one
// responsible body if chosen (kept in the address). The coordinating body adds a
// measure here or imports a table of them.
import { useLocation } from 'preact-iso';
import { useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import { SelectField, type FieldErrors } from '../../components/forms';
import { RecordForm, type FieldSpec, type Values } from '../../components/RecordForm';
import { DataTable, ErrorNotice, Loaded, Loading, Notice, Tag, useAsync, usePageTitle } from '../../components/ui';
import { formatDate, formatNumber, t, useT } from '../../i18n';
import { useOrganizations } from '../../organizations';
import { can } from '../../session';
import { useLabels, type Labels } from '../../vocab';
import { STATUSES, namesOf, organizationOptions, periodOf, statusTone, type ActionPlan as Plan, type Measure, type MeasureView, type PlanSummary, type StatusCounts } from './types';
import { useReveal } from './reveal';
import './prevention.css';

export default function ActionPlan(props: { params?: { id?: string }; id?: string }) {
  const T = useT();
  const labels = useLabels();
  const orgs = useOrganizations();
  const { query, route } = useLocation();
  const id = Number(props.params?.id ?? props.id);
  const body = /^\d+$/.test(query.body ?? '') ? query.body : '';
  const summary = useAsync(() => api.get<PlanSummary>(`/api/v1/action-plans/${id}/summary`), [id]);
  // The answer keeps the body it is for: while another body's measures load, the
  // table shown and its caption stay those of the last answer.
  const measures = useAsync(
    () => api.get<{ items: MeasureView[] }>(`/api/v1/action-plans/${id}/measures`, { responsible_organization_id: body }).then((r) => ({ body, items: r.items })),
    [id, body],
  );
  usePageTitle(summary.data?.plan.title ?? T('prevention:plans.title'));
  const adding = useReveal();
  const [notice, setNotice] = useState('');
  const noticeRef = useRef<HTMLDivElement>(null);

  if (!Number.isInteger(id) || id <= 0) return <ErrorNotice error={new ApiError(404, 'not_found', 'not found')} />;
  if (summary.error) return <ErrorNotice error={summary.error} />;
  const s = summary.data;
  if (!s) return <Loading />;
  const manage = can('manage_plans');

  return (
    <>
      <p>
        <a href="/action-plans">{T('prevention:plan.back')}</a>
      </p>
      <h1>{s.plan.title}</h1>
      <p class="lead">{T('prevention:plan.period', { period: periodOf(s.plan) })}</p>
      {notice && (
        <div ref={noticeRef} tabIndex={-1}>
          <Notice kind="success">{notice}</Notice>
        </div>
      )}

      <section class="section" aria-labelledby="plan-standing">
        <h2 id="plan-standing">{T('prevention:plan.standing', { date: formatDate(s.as_of) })}</h2>
        <StatusLine counts={s.counts} labels={labels} />
        {s.by_body.length > 0 && <ByBody summary={s} labels={labels} />}
        <h3>{T('prevention:plan.overdue')}</h3>
        {s.overdue.length === 0 ? (
          <p>{T('prevention:plan.none_overdue')}</p>
        ) : (
          <DataTable
            caption={T('prevention:plan.overdue_caption')}
            columns={[T('prevention:measure.code'), T('prevention:measure.text'), T('prevention:measure.deadline'), T('prevention:measure.responsible'), T('prevention:plan.last_reported')]}
          >
            {s.overdue.map((m) => (
              <tr key={m.id}>
                <td class="nowrap">{m.code}</td>
                <td>
                  <a href={`/measures/${m.id}`}>{m.text}</a>
                </td>
                <td class="nowrap">{formatDate(m.deadline)}</td>
                <td>{namesOf(m.responsible_organization_ids, orgs.name)}</td>
                <td>{m.last_reported_status ? labels.label('measure_statuses', m.last_reported_status) : T('prevention:plan.no_report')}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      <section class="section" aria-labelledby="plan-measures">
        <div class="toolbar">
          <h2 id="plan-measures">{T('prevention:plan.measures')}</h2>
          {manage && (
            <div class="button-row prevention-actions">
              {!adding.open && (
                <button type="button" class="button" ref={adding.button} onClick={adding.show}>
                  {T('prevention:plan.add_measure')}
                </button>
              )}
              <a class="button button--secondary" href={`/action-plans/${id}/import`}>
                {T('prevention:plan.import')}
              </a>
            </div>
          )}
        </div>
        {manage && adding.open && (
          <div ref={adding.area}>
            <AddMeasure
              plan={s.plan}
              options={organizationOptions(orgs.list)}
              onDone={(m) => {
                adding.hide(false);
                setNotice(T('prevention:plan.measure_added', { code: m.code }));
                summary.reload();
                measures.reload();
                setTimeout(() => noticeRef.current?.focus(), 0);
              }}
              onCancel={() => adding.hide(true)}
            />
          </div>
        )}
        {s.by_body.length > 0 && (
          <div class="filters">
            <SelectField
              id="plan-body"
              label={T('prevention:plan.filter_body')}
              value={body}
              empty={T('prevention:plan.every_body')}
              options={s.by_body.map((b) => ({ value: String(b.organization_id), label: b.name }))}
              onChange={(v) => route(v ? `/action-plans/${id}?body=${v}` : `/action-plans/${id}`, true)}
            />
          </div>
        )}
        <Loaded value={measures}>
          {(d) =>
            d.items.length === 0 ? (
              <p>{d.body ? T('prevention:plan.none_for_body') : T('prevention:plan.no_measures')}</p>
            ) : (
              <div aria-busy={measures.loading ? 'true' : undefined}>
                <DataTable
                  caption={d.body ? T('prevention:plan.measures_of', { name: orgs.name(Number(d.body)) }) : T('prevention:plan.measures_caption')}
                  columns={[T('prevention:measure.code'), T('prevention:measure.text'), T('prevention:measure.responsible'), T('prevention:measure.deadline'), T('prevention:measure.status'), T('prevention:plan.last_report')]}
                >
                  {d.items.map((m) => (
                    <tr key={m.id}>
                      <td class="nowrap">{m.code}</td>
                      <td>
                        <a href={`/measures/${m.id}`}>{m.text}</a>
                      </td>
                      <td>{namesOf(m.responsible_organization_ids, orgs.name)}</td>
                      <td class="nowrap">{formatDate(m.deadline)}</td>
                      <td>
                        <Tag tone={statusTone(m.status)}>{labels.label('measure_statuses', m.status)}</Tag>
                      </td>
                      <td class="nowrap">{m.latest_progress ? formatDate(m.latest_progress.reported_on) : T('prevention:plan.no_report')}</td>
                    </tr>
                  ))}
                </DataTable>
              </div>
            )
          }
        </Loaded>
      </section>
    </>
  );
}

// "12 measures: 2 overdue, 5 in progress …", each status as its tag.
function StatusLine({ counts, labels }: { counts: StatusCounts; labels: Labels }) {
  const T = useT();
  return (
    <div class="status-line">
      <p class="status-line__total">{T('prevention:plan.total', { count: counts.total, n: formatNumber(counts.total) })}</p>
      <ul class="status-line__list">
        {STATUSES.map((st) => (
          <li key={st}>
            <Tag tone={statusTone(st)}>{labels.label('measure_statuses', st)}</Tag> <strong>{formatNumber(counts[st])}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ByBody({ summary, labels }: { summary: PlanSummary; labels: Labels }) {
  const T = useT();
  return (
    <div class="narrow-table">
      <DataTable
        caption={T('prevention:plan.by_body')}
        captionShown
        columns={[
          T('prevention:plan.body'),
          ...STATUSES.map((st) => ({ label: labels.label('measure_statuses', st), numeric: true })),
          { label: T('prevention:plan.all'), numeric: true },
        ]}
      >
        {summary.by_body.map((b) => (
          <tr key={b.organization_id}>
            <th scope="row" class="row-head">
              {b.name}
            </th>
            {STATUSES.map((st) => (
              <td key={st} class="num">
                {formatNumber(b.counts[st])}
              </td>
            ))}
            <td class="num">{formatNumber(b.counts.total)}</td>
          </tr>
        ))}
      </DataTable>
      <p class="muted">{T('prevention:plan.by_body_note')}</p>
    </div>
  );
}

// ---- adding a measure

const INDICATORS = 5;
const ind = (i: number, part: string) => `ind${i}_${part}`;

function measureFields(T: typeof t, plan: Plan, options: ReturnType<typeof organizationOptions>): FieldSpec[] {
  const fields: FieldSpec[] = [
    { name: 'code', kind: 'text', label: T('prevention:measure.code'), hint: T('prevention:measure.code_hint'), required: true },
    { name: 'deadline', kind: 'date', label: T('prevention:measure.deadline'), hint: T('prevention:measure.deadline_hint', { period: periodOf(plan) }), required: true },
    { name: 'text', kind: 'textarea', label: T('prevention:measure.text'), required: true },
    { name: 'responsible_organization_ids', kind: 'multiselect', label: T('prevention:measure.responsible'), addLabel: T('prevention:measure.add_responsible'), options, required: true },
    { name: 'partner_organization_ids', kind: 'multiselect', label: T('prevention:measure.partners'), hint: T('prevention:measure.partners_hint'), addLabel: T('prevention:measure.add_partner'), options },
  ];
  for (let i = 0; i < INDICATORS; i++) {
    // The next indicator's fields once this one is named.
    const when = i === 0 ? undefined : (v: Values) => !!(v[ind(i - 1, 'name')] as string)?.trim();
    const n = i + 1;
    fields.push(
      { name: ind(i, 'name'), kind: 'text', label: T('prevention:measure.indicator_n', { n }), hint: i === 0 ? T('prevention:measure.indicator_hint') : undefined, when },
      { name: ind(i, 'unit'), kind: 'text', label: T('prevention:measure.unit_n', { n }), hint: i === 0 ? T('prevention:measure.unit_hint') : undefined, when },
      { name: ind(i, 'baseline'), kind: 'number', label: T('prevention:measure.baseline_n', { n }), when },
      { name: ind(i, 'target'), kind: 'number', label: T('prevention:measure.target_n', { n }), when },
    );
  }
  return fields;
}

function measureBody(b: Record<string, unknown>): Record<string, unknown> {
  const indicators = [];
  for (let i = 0; i < INDICATORS; i++) {
    const name = b[ind(i, 'name')];
    if (!name) continue;
    indicators.push({ name, unit: b[ind(i, 'unit')] ?? '', baseline: b[ind(i, 'baseline')] ?? null, target: b[ind(i, 'target')] ?? null });
  }
  return {
    code: b.code,
    text: b.text,
    deadline: b.deadline,
    responsible_organization_ids: (b.responsible_organization_ids as string[]).map(Number),
    partner_organization_ids: ((b.partner_organization_ids as string[] | undefined) ?? []).map(Number),
    indicators,
  };
}

function AddMeasure({
  plan,
  options,
  onDone,
  onCancel,
}: {
  plan: Plan;
  options: ReturnType<typeof organizationOptions>;
  onDone: (m: Measure) => void;
  onCancel: () => void;
}) {
  const T = useT();
  const check = (v: Values): FieldErrors => {
    const problems: FieldErrors = {};
    const deadline = v.deadline as string;
    if (deadline && (deadline < plan.period_start || deadline > plan.period_end))
      problems.deadline = T('errors.field.outside_period', { from: formatDate(plan.period_start), to: formatDate(plan.period_end) });
    const responsible = (v.responsible_organization_ids as string[]) ?? [];
    if (((v.partner_organization_ids as string[]) ?? []).some((p) => responsible.includes(p))) problems.partner_organization_ids = T('errors.field.partner_responsible');
    if (/\s/.test((v.code as string).trim())) problems.code = T('errors.field.no_spaces');
    for (let i = 0; i < INDICATORS; i++) {
      const named = !!(v[ind(i, 'name')] as string | undefined)?.trim();
      const rest = ['unit', 'baseline', 'target'].some((part) => !!(v[ind(i, part)] as string | undefined)?.trim());
      if (!named && rest) problems[ind(i, 'name')] = T('prevention:measure.indicator_unnamed');
    }
    return problems;
  };
  // The server names an indicator's field by its place in the list.
  const alias: Record<string, string> = { indicators: ind(0, 'name') };
  for (let i = 0; i < INDICATORS; i++)
    for (const part of ['name', 'unit', 'baseline', 'target']) alias[`indicators[${i}].${part}`] = ind(i, part);
  return (
    <RecordForm
      title={T('prevention:plan.add_measure')}
      fields={measureFields(T, plan, options)}
      submitLabel={T('prevention:measure.submit')}
      check={check}
      alias={alias}
      submit={(b, headers) => api.post<Measure>(`/api/v1/action-plans/${plan.id}/measures`, measureBody(b), headers)}
      onDone={(m) => onDone(m as Measure)}
      onCancel={onCancel}
    />
  );
}
