// The longer course of a case: the support plan, residence permits, criminal
// proceedings, compensation, return and the follow-ups after it. What the user may
// not see is simply not there.
import { api } from '../../api';
import { Facts, Loaded, useAsync } from '../../components/ui';
import { formatDate, formatMoney, useT } from '../../i18n';
import { useLabels } from '../../vocab';

interface Items<T> {
  items: T[];
}
const items = <T,>(path: string) => api.get<Items<T>>(path).then((r) => r.items, () => [] as T[]);

interface Plan {
  revision: number;
  assessed_on: string;
  planned_services: string[];
  planned_end_on: string | null;
  actual_end_on: string | null;
}
interface Permit {
  id: number;
  permit_type: string;
  applied_on: string;
  decision: string | null;
  decided_on: string | null;
  expires_on: string | null;
}
interface Proceeding {
  id: number;
  stage: string;
  started_on: string;
  stage_since: string;
  cooperating: boolean;
  ended_on: string | null;
}
interface Claim {
  id: number;
  route: string;
  status: string;
  currency: string;
  amount_claimed_minor: number | null;
  amount_awarded_minor: number | null;
  filed_on: string;
}
interface Return {
  id: number;
  voluntary: boolean;
  destination_country: string;
  returned_on: string;
}
interface FollowUp {
  id: number;
  due_on: string;
  done_on: string | null;
  outcome: string | null;
}

export function JusticeTab({ caseId }: { caseId: number }) {
  const T = useT();
  const labels = useLabels();
  const data = useAsync(
    () =>
      Promise.all([
        api.get<{ current: Plan | null }>(`/api/v1/cases/${caseId}/support-plan`).then((r) => r.current, () => null),
        items<Permit>(`/api/v1/cases/${caseId}/residence-permits`),
        items<Proceeding>(`/api/v1/cases/${caseId}/proceedings`),
        items<Claim>(`/api/v1/cases/${caseId}/compensation-claims`),
        items<Return>(`/api/v1/cases/${caseId}/return`),
        items<FollowUp>(`/api/v1/cases/${caseId}/follow-ups`),
      ]),
    [caseId],
  );
  const none = <p class="muted">{T('cases:justice.none')}</p>;
  return (
    <Loaded value={data}>
      {([plan, permits, proceedings, claims, returns, followUps]) => (
        <>
          <h2>{T('cases:justice.plan')}</h2>
          {plan ? (
            <Facts
              rows={[
                [T('cases:justice.assessed_on'), formatDate(plan.assessed_on)],
                [T('cases:justice.planned_services'), plan.planned_services.map((s) => labels.label('service_types', s)).join(', ')],
                [T('cases:justice.planned_end'), formatDate(plan.planned_end_on)],
                [T('cases:justice.actual_end'), formatDate(plan.actual_end_on)],
              ]}
            />
          ) : (
            none
          )}
          <h2>{T('cases:justice.permits')}</h2>
          {permits.length ? (
            <ul>
              {permits.map((p) => (
                <li key={p.id}>
                  {labels.label('permit_types', p.permit_type)} · {T('cases:justice.applied', { date: formatDate(p.applied_on) })}
                  {p.decision && ` · ${labels.label('permit_decisions', p.decision)} ${formatDate(p.decided_on)}`}
                  {p.expires_on && ` · ${T('cases:justice.expires', { date: formatDate(p.expires_on) })}`}
                </li>
              ))}
            </ul>
          ) : (
            none
          )}
          <h2>{T('cases:justice.proceedings')}</h2>
          {proceedings.length ? (
            <ul>
              {proceedings.map((p) => (
                <li key={p.id}>
                  {labels.label('proceeding_stages', p.stage)} · {T('cases:justice.since', { date: formatDate(p.stage_since) })}
                  {p.cooperating && ` · ${T('cases:justice.cooperating')}`}
                </li>
              ))}
            </ul>
          ) : (
            none
          )}
          <h2>{T('cases:justice.compensation')}</h2>
          {claims.length ? (
            <ul>
              {claims.map((c) => (
                <li key={c.id}>
                  {labels.label('compensation_routes', c.route)} · {labels.label('claim_statuses', c.status)}
                  {c.amount_claimed_minor !== null && ` · ${T('cases:justice.claimed', { amount: formatMoney(c.amount_claimed_minor, c.currency) })}`}
                  {c.amount_awarded_minor !== null && ` · ${T('cases:justice.awarded', { amount: formatMoney(c.amount_awarded_minor, c.currency) })}`}
                </li>
              ))}
            </ul>
          ) : (
            none
          )}
          <h2>{T('cases:justice.return')}</h2>
          {returns.length ? (
            <ul>
              {returns.map((r) => (
                <li key={r.id}>
                  {formatDate(r.returned_on)} · {labels.country(r.destination_country)} · {r.voluntary ? T('cases:justice.voluntary') : T('cases:justice.not_voluntary')}
                </li>
              ))}
              {followUps.map((f) => (
                <li key={`f${f.id}`}>
                  {T('cases:justice.follow_up', { date: formatDate(f.due_on) })}
                  {f.done_on ? ` · ${labels.label('follow_up_outcomes', f.outcome)} ${formatDate(f.done_on)}` : ` · ${T('cases:justice.open')}`}
                </li>
              ))}
            </ul>
          ) : (
            none
          )}
        </>
      )}
    </Loaded>
  );
}
