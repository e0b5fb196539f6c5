// What falls due: reflection periods ending, permits expiring, follow-ups, payments
// awaiting approval — by case code, overdue first.
import { useState } from 'preact/hooks';
import { api } from '../../api';
import { SelectField } from '../../components/forms';
import { Loaded, Tag, useAsync, usePageTitle, DataTable } from '../../components/ui';
import { formatDate, useT } from '../../i18n';

interface Task {
  kind: string;
  case_id: number;
  case_code: string;
  due_on: string;
  overdue: boolean;
  message: string;
}

export default function Tasks() {
  const T = useT();
  usePageTitle(T('cases:tasks.title'));
  const [within, setWithin] = useState('14');
  const tasks = useAsync(() => api.get<{ items: Task[] }>('/api/v1/tasks', { within_days: within }), [within]);
  return (
    <>
      <h1>{T('cases:tasks.title')}</h1>
      <div class="filters">
        <SelectField id="within" label={T('cases:tasks.within')} value={within} onChange={setWithin}
          options={['7', '14', '30', '90'].map((d) => ({ value: d, label: T('cases:list.due_days', { count: Number(d) }) }))} />
      </div>
      <Loaded value={tasks}>
        {(r) =>
          r.items.length === 0 ? (
            <p>{T('cases:tasks.none')}</p>
          ) : (
            <DataTable caption={T('cases:tasks.title')} columns={[T('cases:tasks.due'), T('cases:fields.code'), T('cases:tasks.what')]}>
              {[...r.items]
                .sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.due_on.localeCompare(b.due_on))
                .map((t, i) => (
                  <tr key={i}>
                    <td>
                      {formatDate(t.due_on)} {t.overdue && <Tag tone="bad">{T('cases:tasks.overdue')}</Tag>}
                    </td>
                    <td>
                      <a href={`/cases/${t.case_id}`}>{t.case_code}</a>
                    </td>
                    <td>{T(`cases:tasks.kinds.${t.kind}`, { defaultValue: t.message })}</td>
                  </tr>
                ))}
            </DataTable>
          )
        }
      </Loaded>
    </>
  );
}
