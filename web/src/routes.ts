// The screens, who sees each (by a permission of the role, as the server tells at
// sign-in), and where each sits in the navigation. The server decides all the same:
// a screen hidden here is a convenience, not the protection.
import { lazy } from 'preact-iso';
import type { ComponentType } from 'preact';

export interface Screen {
  path: string;
  component: ComponentType<any>;
  // Any one of these permissions shows it; none listed: every signed-in user.
  permissions?: string[];
  // The navigation entry (a key of the common catalog's nav.*); none: not in the menu.
  nav?: string;
}

const CASES = ['read_own_cases', 'read_all_cases'];

export const screens: Screen[] = [
  { path: '/', component: lazy(() => import('./screens/Home')) },
  { path: '/account', component: lazy(() => import('./screens/Account')) },
  { path: '/cases', component: lazy(() => import('./screens/cases/CaseList')), permissions: CASES, nav: 'cases' },
  { path: '/cases/new', component: lazy(() => import('./screens/cases/RegisterCase')), permissions: ['create_case'] },
  { path: '/cases/:id', component: lazy(() => import('./screens/cases/CasePage')), permissions: CASES },
  { path: '/tasks', component: lazy(() => import('./screens/cases/Tasks')), permissions: ['read_own_cases'], nav: 'tasks' },
  { path: '/closure-requests', component: lazy(() => import('./screens/cases/ClosureRequests')), permissions: ['approve_closure'], nav: 'closures' },
  { path: '/referrals', component: lazy(() => import('./screens/referrals/Referrals')), permissions: ['refer'], nav: 'referrals' },
  { path: '/consents/:id/receipt', component: lazy(() => import('./screens/referrals/ConsentReceipt')), permissions: ['read_own_cases'] },
  { path: '/shelters', component: lazy(() => import('./screens/shelters/Shelters')), permissions: ['shelter_staff', 'manage_shelters'], nav: 'shelters' },
  { path: '/shelters/:id', component: lazy(() => import('./screens/shelters/ShelterPage')), permissions: ['shelter_staff', 'manage_shelters'] },
  { path: '/allowances', component: lazy(() => import('./screens/allowances/Allowances')), permissions: ['request_payment', 'approve_payment', 'manage_rates'], nav: 'allowances' },
  { path: '/trainings', component: lazy(() => import('./screens/prevention/Trainings')), permissions: ['read_prevention'], nav: 'trainings' },
  { path: '/trainings/coverage', component: lazy(() => import('./screens/prevention/Coverage')), permissions: ['read_statistics'] },
  { path: '/action-plans', component: lazy(() => import('./screens/prevention/ActionPlans')), permissions: ['read_prevention'], nav: 'action_plans' },
  { path: '/action-plans/:id', component: lazy(() => import('./screens/prevention/ActionPlan')), permissions: ['read_prevention'] },
  { path: '/action-plans/:id/import', component: lazy(() => import('./screens/prevention/ImportMeasures')), permissions: ['manage_plans'] },
  { path: '/measures/:id', component: lazy(() => import('./screens/prevention/Measure')), permissions: ['read_prevention'] },
  { path: '/cooperation', component: lazy(() => import('./screens/prevention/Cooperation')), permissions: ['read_prevention'], nav: 'cooperation' },
  { path: '/agreements/:id', component: lazy(() => import('./screens/prevention/Agreement')), permissions: ['read_prevention'] },
  { path: '/reports', component: lazy(() => import('./screens/reports/Reports')), permissions: ['read_statistics'], nav: 'reports' },
  { path: '/reports/:name', component: lazy(() => import('./screens/reports/ReportPage')), permissions: ['read_statistics'] },
  { path: '/admin/organizations', component: lazy(() => import('./screens/admin/Organizations')), permissions: ['manage_organizations'], nav: 'organizations' },
  { path: '/admin/users', component: lazy(() => import('./screens/admin/Users')), permissions: ['manage_users'], nav: 'users' },
  { path: '/audit', component: lazy(() => import('./screens/admin/Audit')), permissions: ['read_audit'], nav: 'audit' },
];

export function allowed(screen: Screen, permissions: string[]): boolean {
  return !screen.permissions || screen.permissions.some((p) => permissions.includes(p));
}
