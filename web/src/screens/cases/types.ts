// What the server sends about a case (GET /api/v1/cases, /cases/{id}). A category the
// user may not see is absent: the facts only with case_facts.
export interface CaseRow {
  id: number;
  code: string;
  access: { basis: string; categories?: string[] };
  organization_id?: number;
  status?: string;
  victim_status?: string;
  identified_on?: string;
  identified_by?: string;
  exploitation?: string[];
  means_of_control?: string[];
  recruiter_relation?: string | null;
  country_of_recruitment?: string | null;
  country_of_exploitation?: string | null;
  region?: string | null;
  transnational?: boolean;
  sex?: string;
  citizenship?: string;
  age_group?: string;
  child?: boolean;
  child_status?: string | null;
  best_interests_assessed_on?: string | null;
  anonymous?: boolean;
  assigned_to?: number | null;
  closure_reason?: string | null;
  duplicate_of?: number | null;
  reflection_period?: { start: string | null; end: string | null };
  victim_status_on?: string | null;
  created_at?: string;
  updated_at?: string;
  version?: number;
}

export interface Transition {
  from: string;
  to: string;
  on: string;
  at: string;
  user_id: number;
  note?: string;
}

export interface CaseDetail extends CaseRow {
  transitions?: Transition[];
  allowed_transitions?: string[];
}

// The CTDC age groups the server uses (domain/rules.cc AgeGroup).
export const AGE_GROUPS = ['0-8', '9-11', '12-14', '15-17', '18-20', '21-23', '24-26', '27-29', '30-38', '39-47', '48+', 'unknown'];

// "stateless", "unknown" or a country code, shown in the chosen language.
export function citizenshipLabel(code: string | undefined, country: (c: string) => string, t: (k: string) => string): string {
  if (!code) return '';
  if (code === 'stateless') return t('cases:citizenship.stateless');
  if (code === 'unknown') return t('cases:citizenship.unknown');
  return country(code);
}
