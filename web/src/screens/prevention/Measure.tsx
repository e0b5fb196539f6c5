// One measure of an action plan: what it is, who carries it out and by when, its
// indicators with the last value reported, and every progress report on it (kept, never
// overwritten), newest first. The coordinating body reports for any body the measure
// names; a supervisor for her own organisation, when it is responsible.
import { useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import type { FieldErrors } from '../../components/forms';
import { RecordForm, type FieldSpec } from '../../components/RecordForm';
import { DataTable, ErrorNotice, Facts, Loading, Notice, Tag, useAsync, usePageTitle } from '../../components/ui';
import { formatDate, formatNumber, t, todayIso, useT } from '../../i18n';
import { useOrganizations } from '../../organizations';
import { can } from '../../session';
import { useLabels, type Labels } from '../../vocab';
import { namesOf, statusTone, withUnit, type ActionPlan, type MeasureView, type ProgressReport } from './types';
import { useReveal } from './reveal';
import './prevention.css';

interface MeasureDetail extends MeasureView {
  progress: ProgressReport[];
}

// The statuses a report gives: overdue follows from the deadline, not from a report.
const REPORTED = ['not_started', 'in_progress', 'done'];

export default function Measure(props: { params?: { id?: string }; id?: string }) {
  const T = useT();
  const labels = useLabels();
  const orgs = useOrganizations();
  const id = Number(props.params?.id ?? props.id);
  const measure = useAsync(() => api.get<MeasureDetail>(`/api/v1/measures/${id}`), [id]);
  const planId = measure.data?.plan_id;
  const plan = useAsync(() => (planId ? api.get<ActionPlan>(`/api/v1/action-plans/${planId}`) : Promise.resolve(null)), [planId]);
  usePageTitle(measure.data ? T('prevention:measure.title', { code: measure.data.code }) : T('prevention:plans.title'));
  const reporting = useReveal();
  const [notice, setNotice] = useState('');
  const noticeRef = useRef<HTMLDivElement>(null);

  if (!Number.isInteger(id) || id <= 0) return <ErrorNotice error={new ApiError(404, 'not_found', 'not found')} />;
  if (measure.error) return <ErrorNotice error={measure.error} />;
  const m = measure.data;
  if (!m) return <Loading />;

  // Who may report, as the access policy has it (the server decides all the same): the
  // coordinating body for any body the measure names; a supervisor for her own
  // organisation when it is responsible.
  // The bodies she may report for, as the server's access policy says.
  const bodies = m.you_report_for ?? [];
  const latest = m.latest_progress;
  const newestFirst = [...m.progress].reverse();

  // The last value reported for each indicator, with the report's date.
  const lastValue = (index: number) => {
    for (const r of newestFirst) {
      const v = r.indicator_values.find((x) => x.indicator === index);
      if (v) return { value: v.value, on: r.reported_on };
    }
    return null;
  };

  return (
    <>
      <p>
        <a href={`/action-plans/${m.plan_id}`}>{plan.data ? T('prevention:measure.back', { plan: plan.data.title }) : T('prevention:measure.back_plain')}</a>
      </p>
      <h1>{T('prevention:measure.title', { code: m.code })}</h1>
      <p class="lead measure-text">{m.text}</p>
      {notice && (
        <div ref={noticeRef} tabIndex={-1}>
          <Notice kind="success">{notice}</Notice>
        </div>
      )}
      <Facts
        rows={[
          [T('prevention:measure.status'), <Tag tone={statusTone(m.status)}>{labels.label('measure_statuses', m.status)}</Tag>],
          [T('prevention:measure.deadline'), formatDate(m.deadline)],
          [T('prevention:measure.responsible'), namesOf(m.responsible_organization_ids, orgs.name)],
          [T('prevention:measure.partners'), namesOf(m.partner_organization_ids, orgs.name)],
          [
            T('prevention:plan.last_report'),
            latest ? T('prevention:measure.last_report', { date: formatDate(latest.reported_on), body: orgs.name(latest.reporting_organization_id) }) : T('prevention:plan.no_report'),
          ],
        ]}
      />

      <section class="section" aria-labelledby="measure-indicators">
        <h2 id="measure-indicators">{T('prevention:measure.indicators')}</h2>
        {m.indicators.length === 0 ? (
          <p>{T('prevention:measure.no_indicators')}</p>
        ) : (
          <DataTable
            caption={T('prevention:measure.indicators')}
            columns={[
              T('prevention:measure.indicator'),
              T('prevention:measure.unit'),
              { label: T('prevention:measure.baseline'), numeric: true },
              { label: T('prevention:measure.target'), numeric: true },
              { label: T('prevention:measure.last_value'), numeric: true },
            ]}
          >
            {m.indicators.map((x, i) => {
              const last = lastValue(i);
              return (
                <tr key={i}>
                  <th scope="row" class="row-head">
                    {x.name}
                  </th>
                  <td>{x.unit}</td>
                  <td class="num">{x.baseline === null ? '—' : formatNumber(x.baseline, 2)}</td>
                  <td class="num">{x.target === null ? '—' : formatNumber(x.target, 2)}</td>
                  <td class="num">
                    {last ? (
                      <>
                        {formatNumber(last.value, 2)}
                        <div class="cell-note">{formatDate(last.on)}</div>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </section>

      <section class="section" aria-labelledby="measure-progress">
        <div class="toolbar">
          <h2 id="measure-progress">{T('prevention:measure.progress')}</h2>
          {bodies.length > 0 && !reporting.open && (
            <button type="button" class="button" ref={reporting.button} onClick={reporting.show}>
              {T('prevention:measure.report')}
            </button>
          )}
        </div>
        {reporting.open && (
          <div ref={reporting.area}>
            <ReportProgress
              measure={m}
              bodies={bodies}
              chooseBody={bodies.length > 1}
              labels={labels}
              name={orgs.name}
              onDone={(r) => {
                reporting.hide(false);
                setNotice(T('prevention:measure.reported', { revision: r.revision }));
                measure.reload();
                setTimeout(() => noticeRef.current?.focus(), 0);
              }}
              onCancel={() => reporting.hide(true)}
            />
          </div>
        )}
        {newestFirst.length === 0 ? (
          <p>{T('prevention:measure.no_progress')}</p>
        ) : (
          <ol class="progress-list" reversed>
            {newestFirst.map((r) => (
              <li key={r.id} class="record progress-report">
                <h3 class="progress-report__title">
                  {T('prevention:measure.revision', { revision: r.revision, date: formatDate(r.reported_on) })}{' '}
                  <Tag tone={statusTone(r.status)}>{labels.label('measure_statuses', r.status)}</Tag>
                </h3>
                <p class="progress-report__body">{T('prevention:measure.reported_for', { body: orgs.name(r.reporting_organization_id) })}</p>
                {r.narrative && <p class="progress-report__narrative">{r.narrative}</p>}
                {r.indicator_values.length > 0 && (
                  <ul class="progress-report__values">
                    {r.indicator_values.map((v) => {
                      const x = m.indicators[v.indicator];
                      return (
                        <li key={v.indicator}>
                          {x ? `${x.name}: ${withUnit(v.value, x.unit)}` : formatNumber(v.value, 2)}
                        </li>
                      );
                    })}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        )}
        {bodies.length === 0 && can('report_progress') && <p class="muted">{T('prevention:measure.not_yours')}</p>}
      </section>
    </>
  );
}

function progressFields(T: typeof t, labels: Labels, m: MeasureView, bodies: number[], chooseBody: boolean, name: (id: number) => string): FieldSpec[] {
  const fields: FieldSpec[] = [];
  if (chooseBody)
    fields.push({
      name: 'reporting_organization_id',
      kind: 'select',
      label: T('prevention:measure.reporting_body'),
      hint: T('prevention:measure.reporting_body_hint'),
      options: bodies.map((b) => ({ value: String(b), label: name(b) })),
      required: true,
    });
  fields.push(
    { name: 'reported_on', kind: 'date', label: T('prevention:measure.reported_on'), required: true },
    {
      name: 'status',
      kind: 'select',
      label: T('prevention:measure.status'),
      hint: T('prevention:measure.status_hint'),
      options: REPORTED.map((s) => ({ value: s, label: labels.label('measure_statuses', s) })),
      required: true,
    },
    { name: 'narrative', kind: 'textarea', label: T('prevention:measure.narrative'), hint: T('prevention:measure.narrative_hint') },
  );
  m.indicators.forEach((x, i) =>
    fields.push({
      name: `value_${i}`,
      kind: 'number',
      label: T('prevention:measure.value_reached', { name: x.name }),
      hint: [x.unit, x.target !== null ? T('prevention:measure.target_is', { target: formatNumber(x.target, 2) }) : ''].filter(Boolean).join(' · ') || undefined,
    }),
  );
  return fields;
}

function ReportProgress({
  measure,
  bodies,
  chooseBody,
  labels,
  name,
  onDone,
  onCancel,
}: {
  measure: MeasureView;
  bodies: number[];
  chooseBody: boolean;
  labels: Labels;
  name: (id: number) => string;
  onDone: (r: ProgressReport) => void;
  onCancel: () => void;
}) {
  const T = useT();
  const toBody = (b: Record<string, unknown>) => {
    const indicator_values = measure.indicators
      .map((_, i) => ({ indicator: i, value: b[`value_${i}`] }))
      .filter((x): x is { indicator: number; value: number } => typeof x.value === 'number');
    const out: Record<string, unknown> = { reported_on: b.reported_on, status: b.status, indicator_values };
    if (b.narrative) out.narrative = b.narrative;
    out.reporting_organization_id = chooseBody ? Number(b.reporting_organization_id) : bodies[0];
    return out;
  };
  const alias: Record<string, string> = {};
  measure.indicators.forEach((_, i) => (alias[`indicator_values[${i}]`] = `value_${i}`));
  return (
    <RecordForm
      title={T('prevention:measure.report')}
      fields={progressFields(T, labels, measure, bodies, chooseBody, name)}
      initial={{ reported_on: todayIso(), reporting_organization_id: bodies.length === 1 ? String(bodies[0]) : '' }}
      submitLabel={T('prevention:measure.send_report')}
      check={(v): FieldErrors => ((v.reported_on as string) > todayIso() ? { reported_on: T('errors.field.future') } : {})}
      alias={alias}
      submit={(b, headers) => api.post<ProgressReport>(`/api/v1/measures/${measure.id}/progress`, toBody(b), headers)}
      onDone={(r) => onDone(r as ProgressReport)}
      onCancel={onCancel}
    />
  );
}
