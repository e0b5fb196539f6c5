// One case: its facts, the identity behind a stated reason, the next step of its
// workflow, its timeline, and the assistance it receives, one tab each. The address
// carries the case's number only.
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Facts, Loaded, Notice, Tag, useAsync, usePageTitle } from '../../components/ui';
import { formatDate, useT } from '../../i18n';
import { can } from '../../session';
import { useLabels } from '../../vocab';
import { CasePayments } from '../allowances/CasePayments';
import { ConsentsAndReferrals } from '../referrals/CaseSection';
import { OverrideReferral } from '../referrals/OverrideReferral';
import { CaseStays } from '../shelters/CaseStays';
import { statusTone } from './CaseList';
import { Assignment, CorrectFacts, PendingClosure, Reopen } from './CaseActions';
import { DocumentsTab } from './DocumentsTab';
import { IdentityPanel } from './IdentityPanel';
import { EarlierList, foundOnSaving } from './RegisterCase';
import { JusticeTab } from './JusticeTab';
import { NotesTab } from './NotesTab';
import { ServicesTab } from './ServicesTab';
import { StatusChange } from './StatusChange';
import { Timeline } from './Timeline';
import { citizenshipLabel, type CaseDetail } from './types';

const TABS = ['overview', 'services', 'shelter', 'allowances', 'consent', 'justice', 'notes', 'documents'] as const;
type TabName = (typeof TABS)[number];

function Tabs({ current, choose, shown }: { current: TabName; choose: (t: TabName) => void; shown: TabName[] }) {
  const T = useT();
  const move = (e: KeyboardEvent) => {
    const i = shown.indexOf(current);
    const next = e.key === 'ArrowRight' ? shown[(i + 1) % shown.length] : e.key === 'ArrowLeft' ? shown[(i - 1 + shown.length) % shown.length] : null;
    if (next) {
      e.preventDefault();
      choose(next);
      document.getElementById(`tab-${next}`)?.focus();
    }
  };
  return (
    <div class="tabs" role="tablist" aria-label={T('cases:page.sections')} onKeyDown={move}>
      {shown.map((t) => (
        <button
          key={t}
          id={`tab-${t}`}
          type="button"
          role="tab"
          class="tabs__tab"
          aria-selected={t === current}
          aria-controls={`panel-${t}`}
          tabIndex={t === current ? 0 : -1}
          onClick={() => choose(t)}
        >
          {T(`cases:page.tab_${t}`)}
        </button>
      ))}
    </div>
  );
}

export default function CasePage(props: { id?: string; params?: { id: string } }) {
  const T = useT();
  const labels = useLabels();
  const { query } = useLocation();
  const id = Number(props.params?.id ?? props.id);
  const detail = useAsync(() => api.get<CaseDetail>(`/api/v1/cases/${id}`), [id]);
  const [tab, setTab] = useState<TabName>('overview');
  usePageTitle(detail.data ? `${T('cases:page.title')} ${detail.data.code}` : T('cases:page.title'));

  return (
    <Loaded value={detail}>
      {(c) => {
        const own = c.access.basis === 'owner';
        const canChange = own && can('change_case');
        const categories = c.access.categories ?? [];
        const shown = TABS.filter((t) => {
          if (!c.status) return t === 'overview';
          if (t === 'notes') return categories.includes('notes');
          if (t === 'documents') return categories.includes('documents');
          if (t === 'consent') return own;
          return true;
        });
        return (
          <>
            <a href="/cases" class="back-link">{T('cases:list.title')}</a>
            <div class="toolbar">
              <h1>
                {T('cases:page.title')} {c.code}
              </h1>
              {c.status && <Tag tone={statusTone(c.status)}>{labels.label('case_statuses', c.status)}</Tag>}
            </div>
            {query.registered && <Notice kind="success">{T('cases:page.registered', { code: c.code })}</Notice>}
            {query.registered && foundOnSaving.has(c.id) && (
              <div class="notice notice--warning" role="alert">
                <h2>{T('cases:register.earlier_title')}</h2>
                <p>{T('cases:page.earlier_after_saving')}</p>
                <EarlierList earlier={foundOnSaving.get(c.id)!} />
              </div>
            )}
            {!own && <Notice>{T('cases:page.access', { basis: T(`cases:page.basis_${c.access.basis}`) })}</Notice>}
            <Tabs current={tab} choose={setTab} shown={shown} />
            <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`}>
              {tab === 'overview' && (
                <>
                  {c.status ? (
                    <Facts
                      rows={[
                        [T('cases:fields.status'), labels.label('case_statuses', c.status)],
                        [T('cases:fields.victim_status'), labels.label('victim_statuses', c.victim_status)],
                        [T('cases:fields.identified_on'), formatDate(c.identified_on)],
                        [T('cases:fields.identified_by'), labels.label('identifying_bodies', c.identified_by)],
                        [T('cases:fields.exploitation'), (c.exploitation ?? []).map((x) => labels.label('forms_of_exploitation', x)).join(', ')],
                        [T('cases:fields.means_of_control'), (c.means_of_control ?? []).map((x) => labels.label('means_of_control', x)).join(', ')],
                        [T('cases:fields.sex'), labels.label('sexes', c.sex)],
                        [T('cases:fields.age_group'), c.age_group === 'unknown' ? T('cases:age_unknown') : (c.age_group ?? '')],
                        [T('cases:fields.citizenship'), citizenshipLabel(c.citizenship, labels.country, T)],
                        [T('cases:fields.country_of_recruitment'), labels.country(c.country_of_recruitment)],
                        [T('cases:fields.country_of_exploitation'), labels.country(c.country_of_exploitation)],
                        [T('cases:fields.region'), labels.region(c.region)],
                        [T('cases:fields.transnational'), c.transnational ? T('common:yes') : T('common:no')],
                        [T('cases:fields.reflection_period'), c.reflection_period?.start ? `${formatDate(c.reflection_period.start)} – ${formatDate(c.reflection_period.end)}` : ''],
                        ...(c.child ? ([[T('cases:fields.child_status'), labels.label('child_statuses', c.child_status)]] as Array<[string, string]>) : []),
                        ...(c.closure_reason ? ([[T('cases:status.closure_reason'), labels.label('closure_reasons', c.closure_reason)]] as Array<[string, string]>) : []),
                      ]}
                    />
                  ) : (
                    <p>{T('cases:page.no_facts')}</p>
                  )}
                  {canChange && c.status !== 'closed' && <CorrectFacts detail={c} onChanged={detail.reload} />}
                  {own && can('view_identity') && <IdentityPanel caseId={c.id} canChange={canChange} />}
                  {canChange && <StatusChange detail={c} onChanged={detail.reload} />}
                  {canChange && <PendingClosure detail={c} onChanged={detail.reload} />}
                  {canChange && c.status === 'closed' && <Reopen detail={c} onChanged={detail.reload} />}
                  {canChange && <Assignment detail={c} onChanged={detail.reload} />}
                  {!own && can('override_consent') && c.status && c.status !== 'closed' && <OverrideReferral caseId={c.id} />}
                  {c.status && <Timeline detail={c} />}
                </>
              )}
              {tab === 'services' && <ServicesTab caseId={c.id} canChange={canChange} />}
              {tab === 'shelter' && <CaseStays caseId={c.id} canChange={canChange} />}
              {tab === 'allowances' && <CasePayments caseId={c.id} canChange={canChange && can('request_payment')} />}
              {tab === 'consent' && <ConsentsAndReferrals caseId={c.id} canRefer={own && can('refer')} />}
              {tab === 'justice' && <JusticeTab caseId={c.id} canChange={canChange} onCaseChanged={detail.reload} />}
              {tab === 'notes' && <NotesTab caseId={c.id} canChange={canChange} />}
              {tab === 'documents' && <DocumentsTab caseId={c.id} canChange={canChange} />}
            </div>
          </>
        );
      }}
    </Loaded>
  );
}
