// The coalition's organisations as every screen names them: the directory, loaded once
// per screen, and each organisation's name by its id.
import { loadAll } from './api';
import { useAsync } from './components/ui';

export interface Organization {
  id: number;
  name: string;
  kind: string;
  region: string | null;
  active: boolean;
  created_at: string;
}

// The whole directory (a few hundred at most), for choosing a receiver and for naming
// the organisation of a user, a referral or an audit entry.
export const loadAllOrganizations = () => loadAll<Organization>('/api/v1/organizations');

export function useOrganizations() {
  const orgs = useAsync(loadAllOrganizations, []);
  const list = orgs.data ?? [];
  const byId = new Map(list.map((o) => [o.id, o]));
  return {
    list,
    ready: orgs.data !== undefined,
    error: orgs.error,
    reload: orgs.reload,
    name: (id: number | null | undefined) => (id ? (byId.get(id)?.name ?? `#${id}`) : ''),
    get: (id: number | null | undefined) => (id ? byId.get(id) : undefined),
  };
}

