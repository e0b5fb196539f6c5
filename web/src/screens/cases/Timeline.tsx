// The life of a case in one list, newest first: identification, status decisions,
// stays, services, payments, notes — each only as far as the user may see it.
import { api } from '../../api';
import { Loaded, useAsync } from '../../components/ui';
import { formatDate, formatDateTime, formatMoney, useT } from '../../i18n';
import { useLabels } from '../../vocab';
import type { CaseDetail } from './types';

interface Event {
  when: string; // a date or a time, sortable as text
  title: string;
  detail?: string;
}

interface Items<T> {
  items: T[];
}

const orEmpty = <T,>(p: Promise<Items<T>>) => p.then((r) => r.items ?? [], () => [] as T[]);

export function Timeline({ detail }: { detail: CaseDetail }) {
  const T = useT();
  const labels = useLabels();
  const id = detail.id;
  const data = useAsync(
    () =>
      Promise.all([
        orEmpty(api.get<Items<{ admitted_on: string; discharged_on: string | null; discharge_reason: string | null }>>(`/api/v1/cases/${id}/stays`)),
        orEmpty(api.get<Items<{ type: string; delivered_on: string }>>(`/api/v1/cases/${id}/services`)),
        orEmpty(api.get<Items<{ paid_on: string; status: string; amount_minor: number; currency: string; kind: string }>>(`/api/v1/cases/${id}/payments`)),
        orEmpty(api.get<Items<{ created_at: string; author_username: string }>>(`/api/v1/cases/${id}/notes`, { limit: 200 })),
        orEmpty(api.get<Items<{ decision: string; decided_on: string }>>(`/api/v1/cases/${id}/identification`)),
      ]),
    [id, detail.version],
  );
  return (
    <section class="section" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{T('cases:timeline.title')}</h2>
      <Loaded value={data}>
        {([stays, services, payments, notes, decisions]) => {
          const events: Event[] = [];
          if (detail.identified_on)
            events.push({ when: detail.identified_on, title: T('cases:timeline.identified', { by: labels.label('identifying_bodies', detail.identified_by) }) });
          for (const tr of detail.transitions ?? [])
            events.push({
              when: tr.at,
              title: T('cases:timeline.status', { from: labels.label('case_statuses', tr.from), to: labels.label('case_statuses', tr.to) }),
              detail: tr.note,
            });
          for (const d of decisions) events.push({ when: d.decided_on, title: T('cases:timeline.decision', { decision: labels.label('victim_statuses', d.decision) }) });
          for (const s of stays) {
            events.push({ when: s.admitted_on, title: T('cases:timeline.admitted') });
            if (s.discharged_on) events.push({ when: s.discharged_on, title: T('cases:timeline.discharged', { reason: labels.label('discharge_reasons', s.discharge_reason) }) });
          }
          for (const s of services) events.push({ when: s.delivered_on, title: T('cases:timeline.service', { type: labels.label('service_types', s.type) }) });
          for (const p of payments)
            events.push({ when: p.paid_on, title: T('cases:timeline.payment', { amount: formatMoney(p.amount_minor, p.currency), status: labels.label('payment_statuses', p.status) }) });
          for (const n of notes) events.push({ when: n.created_at, title: T('cases:timeline.note', { author: n.author_username }) });
          events.sort((a, b) => (a.when < b.when ? 1 : a.when > b.when ? -1 : 0));
          return (
            <ol class="timeline">
              {events.map((e, i) => (
                <li class="timeline__item" key={i}>
                  <div class="timeline__when">{e.when.length > 10 ? formatDateTime(e.when) : formatDate(e.when)}</div>
                  <div>{e.title}</div>
                  {e.detail && <div class="muted">{e.detail}</div>}
                </li>
              ))}
            </ol>
          );
        }}
      </Loaded>
    </section>
  );
}
