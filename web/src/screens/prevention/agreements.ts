// The form of an agreement, shared by recording one (the cooperation screen) and
// changing one (its page): its fields, the checks of its dates the browser can make,
// and the body the server takes. The server decides all the same.
import type { FieldErrors, Option } from '../../components/forms';
import type { FieldSpec, Values } from '../../components/RecordForm';
import { todayIso, type t } from '../../i18n';
import type { Labels } from '../../vocab';

export function agreementFields(T: typeof t, labels: Labels, options: Option[]): FieldSpec[] {
  return [
    { name: 'title', kind: 'text', label: T('prevention:cooperation.agreement_title'), hint: T('prevention:cooperation.agreement_title_hint'), required: true },
    {
      name: 'kind',
      kind: 'select',
      label: T('prevention:cooperation.kind'),
      options: labels.terms('agreement_kinds').map((x) => ({ value: x.code, label: x.label })),
      required: true,
    },
    {
      name: 'party_organization_ids',
      kind: 'multiselect',
      label: T('prevention:cooperation.partners'),
      hint: T('prevention:cooperation.partners_hint'),
      addLabel: T('prevention:cooperation.add_partner'),
      options,
      required: true,
    },
    { name: 'signed_on', kind: 'date', label: T('prevention:cooperation.signed_on'), hint: T('prevention:cooperation.signed_on_hint') },
    { name: 'starts_on', kind: 'date', label: T('prevention:cooperation.starts_on'), required: true },
    { name: 'ends_on', kind: 'date', label: T('prevention:cooperation.ends_on'), hint: T('prevention:cooperation.ends_on_hint') },
    // An agreement never signed is not terminated: asked once it is signed.
    {
      name: 'terminated_on',
      kind: 'date',
      label: T('prevention:cooperation.terminated_on'),
      hint: T('prevention:cooperation.terminated_on_hint'),
      when: (v: Values) => !!(v.signed_on as string)?.trim(),
    },
    { name: 'scope', kind: 'textarea', label: T('prevention:cooperation.scope'), hint: T('prevention:cooperation.scope_hint') },
  ];
}

export function agreementCheck(T: typeof t) {
  return (v: Values): FieldErrors => {
    const problems: FieldErrors = {};
    const today = todayIso();
    const starts = v.starts_on as string;
    if (v.signed_on && (v.signed_on as string) > today) problems.signed_on = T('errors.field.future');
    if (v.ends_on && starts && (v.ends_on as string) < starts) problems.ends_on = T('errors.field.before_start');
    const terminated = v.terminated_on as string | undefined;
    if (terminated && starts && terminated < starts) problems.terminated_on = T('errors.field.before_start');
    else if (terminated && terminated > today) problems.terminated_on = T('errors.field.future');
    return problems;
  };
}

// The partners by number, as the server takes them.
export function agreementBody(b: Record<string, unknown>): Record<string, unknown> {
  return { ...b, party_organization_ids: (b.party_organization_ids as string[]).map(Number) };
}
