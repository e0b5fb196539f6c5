// The national action plans, newest period first; the coordinating body starts a new
// one (its measures are then added one by one or imported on the plan's page).
import { useLocation } from 'preact-iso';
import { api } from '../../api';
import type { FieldErrors } from '../../components/forms';
import { RecordForm, type FieldSpec, type Values } from '../../components/RecordForm';
import { DataTable, Loaded, useAsync, usePageTitle } from '../../components/ui';
import { useT } from '../../i18n';
import { can } from '../../session';
import { periodOf, type ActionPlan } from './types';
import { useReveal } from './reveal';
import './prevention.css';

export default function ActionPlans() {
  const T = useT();
  const { route } = useLocation();
  usePageTitle(T('prevention:plans.title'));
  const plans = useAsync(() => api.get<{ items: ActionPlan[] }>('/api/v1/action-plans'), []);
  const form = useReveal();
  const fields: FieldSpec[] = [
    { name: 'title', kind: 'text', label: T('prevention:plans.plan_title'), hint: T('prevention:plans.plan_title_hint'), required: true },
    { name: 'period_start', kind: 'date', label: T('prevention:plans.period_start'), required: true },
    { name: 'period_end', kind: 'date', label: T('prevention:plans.period_end'), required: true },
  ];
  const check = (v: Values): FieldErrors =>
    v.period_start && v.period_end && (v.period_end as string) <= (v.period_start as string) ? { period_end: T('errors.field.after_start') } : {};

  return (
    <>
      <div class="toolbar">
        <h1>{T('prevention:plans.title')}</h1>
        {can('manage_plans') && !form.open && (
          <button type="button" class="button" ref={form.button} onClick={form.show}>
            {T('prevention:plans.new')}
          </button>
        )}
      </div>
      <p class="lead">{T('prevention:plans.intro')}</p>
      {form.open && (
        <div ref={form.area}>
          <RecordForm
            title={T('prevention:plans.new')}
            fields={fields}
            submitLabel={T('prevention:plans.create')}
            check={check}
            submit={(body, headers) => api.post<ActionPlan>('/api/v1/action-plans', body, headers)}
            onDone={(p) => route(`/action-plans/${(p as ActionPlan).id}`)}
            onCancel={() => form.hide(true)}
          />
        </div>
      )}
      <Loaded value={plans}>
        {(d) =>
          d.items.length === 0 ? (
            <p>{T('prevention:plans.none')}</p>
          ) : (
            <DataTable caption={T('prevention:plans.caption')} columns={[T('prevention:plans.plan_title'), T('prevention:plans.period')]}>
              {d.items.map((p) => (
                <tr key={p.id}>
                  <td>
                    <a href={`/action-plans/${p.id}`}>{p.title}</a>
                  </td>
                  <td class="nowrap">{periodOf(p)}</td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Loaded>
    </>
  );
}
