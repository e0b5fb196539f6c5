// What the prevention API answers (see docs/openapi.json), and the few helpers its
// screens share: the tone of a measure's status, the names of several organisations,
// the dates of an event.
import { formatDate, formatNumber, locale } from '../../i18n';
import type { Option } from '../../components/forms';
import type { Organization } from '../../organizations';
import type { Labels, Term } from '../../vocab';

export interface Participants {
  female: number;
  male: number;
  total: number;
  by_age: Record<string, number>;
}

export interface AwarenessEvent {
  id: number;
  title: string;
  kind: string;
  organizer_organization_ids: number[];
  region: string;
  place: string;
  starts_on: string;
  ends_on: string;
  topics: string[];
  audience: string[];
  participants: Participants;
  materials_distributed: number;
  funded_by_organization_id: number | null;
  created_at: string;
}

export interface ActionPlan {
  id: number;
  title: string;
  period_start: string;
  period_end: string;
  created_at: string;
}

export interface Indicator {
  name: string;
  unit: string;
  baseline: number | null;
  target: number | null;
}

export type MeasureStatus = 'not_started' | 'in_progress' | 'done' | 'overdue';

export interface ProgressReport {
  id: number;
  measure_id: number;
  revision: number;
  reported_on: string;
  reporting_organization_id: number;
  status: MeasureStatus;
  narrative: string;
  indicator_values: Array<{ indicator: number; value: number }>;
  created_at: string;
}

export interface Measure {
  id: number;
  plan_id: number;
  code: string;
  text: string;
  responsible_organization_ids: number[];
  partner_organization_ids: number[];
  deadline: string;
  indicators: Indicator[];
}

// A measure as it stands today.
export interface MeasureView extends Measure {
  status: MeasureStatus;
  latest_progress: ProgressReport | null;
  // The bodies the reader may report progress for (the server's access policy).
  you_report_for: number[];
}

export interface StatusCounts {
  not_started: number;
  in_progress: number;
  done: number;
  overdue: number;
  total: number;
}

export interface PlanSummary {
  plan: ActionPlan;
  as_of: string;
  counts: StatusCounts;
  by_body: Array<{ organization_id: number; name: string; counts: StatusCounts }>;
  overdue: Array<{
    id: number;
    code: string;
    text: string;
    deadline: string;
    responsible_organization_ids: number[];
    status: MeasureStatus;
    last_reported_status: MeasureStatus | null;
  }>;
}

// The order the statuses are shown in: what needs attention first.
export const STATUSES: MeasureStatus[] = ['overdue', 'in_progress', 'not_started', 'done'];

export function statusTone(status: string | null | undefined): 'neutral' | 'good' | 'warn' | 'bad' {
  switch (status) {
    case 'done':
      return 'good';
    case 'overdue':
      return 'bad';
    case 'in_progress':
      return 'warn';
    default:
      return 'neutral';
  }
}

// "5 Mar 2026" or "5 Mar 2026 – 7 Mar 2026".
export function eventDates(e: { starts_on: string; ends_on: string }): string {
  return e.ends_on && e.ends_on !== e.starts_on ? `${formatDate(e.starts_on)} – ${formatDate(e.ends_on)}` : formatDate(e.starts_on);
}

export function periodOf(p: { period_start: string; period_end: string }): string {
  return `${formatDate(p.period_start)} – ${formatDate(p.period_end)}`;
}

export const namesOf = (ids: number[], name: (id: number) => string) => ids.map(name).join('; ');

// The directory as choices, by name; inactive organisations only when already chosen.
export function organizationOptions(list: Organization[], keep: number[] = []): Option[] {
  return list
    .filter((o) => o.active || keep.includes(o.id))
    .map((o) => ({ value: String(o.id), label: o.name }))
    .sort((a, b) => a.label.localeCompare(b.label, locale()));
}

// An indicator's value with its unit ("12 sessions").
export function withUnit(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return '';
  return unit ? `${formatNumber(value, 2)} ${unit}` : formatNumber(value, 2);
}

// The regions with a name each can be told by: a city and the district around it share
// their name in the server's labels (Lənkəran, Naxçıvan, Şəki, Yevlax), so those get
// their code beside it.
export function distinctRegions(labels: Labels): Term[] {
  const seen = new Map<string, number>();
  for (const r of labels.regions) seen.set(r.label, (seen.get(r.label) ?? 0) + 1);
  return labels.regions.map((r) => ((seen.get(r.label) ?? 0) > 1 ? { code: r.code, label: `${r.label} (${r.code})` } : r));
}

export function regionName(regions: Term[], code: string): string {
  return regions.find((r) => r.code === code)?.label ?? code;
}

// ---- international cooperation

export type AgreementStatus = 'draft' | 'in_force' | 'ended' | 'terminated';

export interface Agreement {
  id: number;
  title: string;
  kind: string;
  party_organization_ids: number[];
  signed_on: string | null;
  starts_on: string;
  ends_on: string | null;
  terminated_on: string | null;
  scope: string;
  // From the dates, today (the server's).
  status: AgreementStatus;
  version: number;
  created_at: string;
  updated_at: string;
}

// What was done under an agreement in its period: counts only.
export interface AgreementDetail extends Agreement {
  activity: { event_ids: number[]; events: number; participants: number; cases_received: number };
}

export interface ReportingRound {
  id: number;
  convention_id: number;
  number: number;
  first_year: number;
  last_year: number;
  due_on: string | null;
  submitted_on: string | null;
  // The GRETA report of each year the round covers, by its API address.
  reports: Array<{ year: number; report: string }>;
}

export interface Convention {
  id: number;
  title: string;
  monitoring_body: string;
  joined_on: string;
  rounds: ReportingRound[];
}

export function agreementTone(status: string): 'neutral' | 'good' | 'bad' {
  return status === 'in_force' ? 'good' : status === 'terminated' ? 'bad' : 'neutral';
}
