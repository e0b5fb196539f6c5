// The coordinator's referral without the person's consent, on a legal ground she
// states (a danger to life, a court order …): which organisation, for what, which of
// the case's data it may read, and why. The server records the ground and the reason
// in the audit log, and the person's access history shows it.
import { useState } from 'preact/hooks';
import { api } from '../../api';
import { RecordForm, type FieldSpec } from '../../components/RecordForm';
import { Notice } from '../../components/ui';
import { useT } from '../../i18n';
import { useOrganizations } from '../../organizations';
import { useLabels } from '../../vocab';
import type { Referral } from './Referrals';

export function OverrideReferral({ caseId }: { caseId: number }) {
  const T = useT();
  const labels = useLabels();
  const orgs = useOrganizations();
  const [open, setOpen] = useState(false);
  const [sent, setSent] = useState<string>('');
  const terms = (v: string) => labels.terms(v).map((x) => ({ value: x.code, label: x.label }));
  const fields: FieldSpec[] = [
    { name: 'to_organization_id', kind: 'select', label: T('referrals:refer.to'), options: orgs.list.filter((o) => o.active).map((o) => ({ value: String(o.id), label: o.name })), required: true },
    { name: 'purposes', kind: 'checkboxes', label: T('referrals:fields.purposes'), options: terms('purposes'), required: true },
    { name: 'services_requested', kind: 'checkboxes', label: T('referrals:refer.services'), options: terms('service_types') },
    { name: 'basis', kind: 'select', label: T('referrals:override.basis'), options: terms('override_bases'), required: true },
    { name: 'categories', kind: 'checkboxes', label: T('referrals:override.categories'), hint: T('referrals:override.categories_hint'), options: terms('data_categories'), required: true },
    { name: 'reason', kind: 'textarea', label: T('referrals:override.reason'), hint: T('referrals:override.reason_hint'), required: true },
    { name: 'note', kind: 'textarea', label: T('referrals:refer.note') },
  ];
  const submit = (body: Record<string, unknown>, headers: Record<string, string>) => {
    const { basis, categories, reason, to_organization_id, ...rest } = body;
    return api.post<Referral>('/api/v1/referrals', { ...rest, case_id: caseId, to_organization_id: Number(to_organization_id), override: { basis, reason, categories } }, headers);
  };
  return (
    <section class="section" aria-labelledby="override-title">
      <h2 id="override-title">{T('referrals:override.title')}</h2>
      <p>{T('referrals:override.intro')}</p>
      {sent && <Notice kind="success">{sent}</Notice>}
      {!open ? (
        <button type="button" class="button button--secondary" onClick={() => { setOpen(true); setSent(''); }}>
          {T('referrals:override.start')}
        </button>
      ) : (
        <RecordForm
          title={T('referrals:override.form_title')}
          fields={fields}
          submitLabel={T('referrals:override.send')}
          submit={submit}
          onDone={(r) => {
            setOpen(false);
            setSent(T('referrals:refer.sent', { organization: orgs.name((r as Referral).to_organization_id) }));
          }}
          onCancel={() => setOpen(false)}
        />
      )}
    </section>
  );
}
