// The admin console (issue 17 item 7, docs/security.md "Administration"):
// accounts, tokens, organisations, the marking requests waiting for a
// decision, the audit log with filters and its verification, and the partners'
// sync status. Everything here goes through /api/v1/admin/..., which the
// server allows to the admin role only; no secret is ever shown here.
import { get, getOrJob, post, put } from './api';
import { clear, h } from './dom';
import { date, num, t } from './i18n';

interface UserRow { username: string; organisation: string; roles: string[]; second_factor: boolean; disabled: boolean; created: string }
interface TokenRow { id: string; username: string; label: string; created: string; revoked: string }
interface OrgRow { name: string; trust_groups: string[]; own: boolean; created: string }
interface AuditRow { seq: number; time: string; actor: string; action: string; objects: string[]; detail: unknown; hash: string }
interface Verify { ok: boolean; entries: number; first_bad_seq: number; problem: string }
interface PartnerRow { name: string; org: string; url: string; collection: string; trust_group: string; cursor: string; last_sync: string }
interface Items<T> { items: T[]; count: number }
interface Page<T> extends Items<T> { next_cursor: string | null }

// A paged list of the console (100 rows a page, in the order of its key):
// its rows go into `body`; while there are more, a "Show more" button after
// `after` fetches the next page and appends it.
async function paged<T>(path: string, body: HTMLElement, after: HTMLElement, id: string,
                        row: (item: T) => HTMLTableRowElement, onError: (err: unknown) => void): Promise<T[]> {
  const first = await get<Page<T>>(path, { limit: 100 });
  body.append(...first.items.map(row));
  const more = (cursor: string | null): void => {
    if (!cursor) return;
    const b = h('button', { type: 'button', class: 'link more', id }, t('adminShowMore'));
    b.addEventListener('click', async () => {
      try {
        const next = await get<Page<T>>(path, { limit: 100, cursor });
        body.append(...next.items.map(row));
        b.remove();
        more(next.next_cursor);
      } catch (err) { onError(err); }
    });
    after.after(b);
  };
  more(first.next_cursor);
  return first.items;
}

export interface AdminHelpers {
  me: string;  // the signed-in administrator's account name
  showError(err: unknown): void;
  errorText(err: unknown): string;
  pendingRequests(box: HTMLElement): Promise<void>;
}

function section(id: string, title: string, ...children: (Node | string)[]): HTMLElement {
  return h('section', { class: 'admin-section', id, 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title`, tabindex: -1 }, title), ...children);
}

function table(id: string, caption: string, heads: string[], rows: HTMLTableRowElement[]): HTMLElement {
  return h('div', { class: 'table-scroll' },
    h('table', { class: 'admin-table', id },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, ...heads.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, ...rows)));
}

function tbodyOf(wrap: HTMLElement): HTMLElement {
  return wrap.querySelector('tbody') as HTMLElement;
}

function cell(...children: (Node | string)[]): HTMLTableCellElement {
  return h('td', {}, ...children);
}

function when(iso: string): string {
  return iso ? `${date(iso.slice(0, 10))} ${iso.slice(11, 16)}` : '—';
}

export async function renderAdmin(panel: HTMLElement, x: AdminHelpers): Promise<void> {
  const status = h('p', { class: 'status', role: 'status', id: 'admin-status' });
  const users = section('admin-users', t('adminUsers'));
  const tokens = section('admin-tokens', t('adminTokens'));
  const orgs = section('admin-orgs', t('adminOrgs'));
  const pending = h('section', { class: 'pending admin-section', id: 'pending' }, h('h3', {}, t('pendingRequests')));
  const audit = section('admin-audit', t('adminAudit'));
  const partners = section('admin-partners', t('adminPartners'));
  panel.append(h('h2', {}, t('viewAdmin')), h('p', { class: 'sub' }, t('adminHelp')), status,
    users, tokens, orgs, pending, audit, partners);
  const say = (text: string, error = false): void => {
    status.className = error ? 'status error' : 'status info';
    status.textContent = text;
  };

  let orgNames: string[] = [];
  async function loadOrgs(): Promise<void> {
    clear(orgs);
    const wrap = table('orgs-table', t('adminOrgs'), [t('adminOrg'), t('adminTrustGroups'), t('adminCreated')], []);
    orgs.append(h('h3', { id: 'admin-orgs-title', tabindex: -1 }, t('adminOrgs')), wrap, addOrgForm());
    const first = await paged<OrgRow>('/api/v1/admin/organisations', tbodyOf(wrap), wrap, 'orgs-more',
      (o) => {
        if (!orgNames.includes(o.name)) orgNames.push(o.name);
        return h('tr', { 'data-org': o.name },
          cell(h('bdi', {}, o.name), o.own ? ` (${t('adminOwnOrg')})` : ''),
          cell(h('bdi', {}, o.trust_groups.join(', ') || '—')),
          cell(when(o.created)));
      }, (err) => say(x.errorText(err), true));
    orgNames = first.map((o) => o.name);
  }

  function addOrgForm(): HTMLElement {
    const name = h('input', { id: 'new-org', required: true, maxlength: 100, autocomplete: 'off' });
    const groups = h('input', { id: 'new-org-groups', maxlength: 1300, autocomplete: 'off', 'aria-describedby': 'new-org-groups-hint' });
    const out = h('div', { id: 'new-org-result', 'aria-live': 'polite' });
    const form = h('form', { class: 'admin-form', id: 'add-org-form' },
      h('h4', {}, t('adminAddOrg')),
      h('label', { for: 'new-org' }, t('adminOrg')), name,
      h('label', { for: 'new-org-groups' }, t('adminTrustGroups')), groups,
      h('p', { class: 'sub', id: 'new-org-groups-hint' }, t('adminTrustGroupsHint')),
      h('button', { type: 'submit', class: 'primary', id: 'new-org-submit' }, t('adminAdd')),
      out);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clear(out);
      try {
        const trust = groups.value.split(',').map((g) => g.trim()).filter((g) => g);
        const o = await post<OrgRow>('/api/v1/admin/organisations', { name: name.value.trim(), trust_groups: trust });
        say(t('adminOrgAdded', { org: o.name }));
        await loadOrgs();
        const select = document.getElementById('new-user-org');
        if (select && !select.querySelector(`option[value="${CSS.escape(o.name)}"]`)) {
          select.append(h('option', { value: o.name }, o.name));
        }
      } catch (err) {
        out.append(h('p', { class: 'status error', role: 'alert' }, x.errorText(err)));
      }
    });
    return form;
  }

  async function loadUsers(): Promise<void> {
    clear(users);
    const wrap = table('users-table', t('adminUsers'),
      [t('adminAccount'), t('adminOrg'), t('adminRoles'), t('adminSecondFactor'), t('adminState'), ''], []);
    users.append(h('h3', { id: 'admin-users-title', tabindex: -1 }, t('adminUsers')), wrap, addUserForm());
    await paged<UserRow>('/api/v1/admin/users', tbodyOf(wrap), wrap, 'users-more', (u) => {
      const actions = cell();
      if (!u.disabled && u.username !== x.me) {
        const b = h('button', { type: 'button', class: 'link danger', id: `disable-${u.username}` }, t('adminDisable'));
        b.addEventListener('click', async () => {
          if (!window.confirm(t('adminDisableConfirm', { user: u.username }))) return;
          try {
            await post(`/api/v1/admin/users/${encodeURIComponent(u.username)}/disable`, {});
            say(t('adminDisabled', { user: u.username }));
            await Promise.all([loadUsers(), loadTokens()]);
          } catch (err) { say(x.errorText(err), true); }
        });
        actions.append(b, rolesEditor(u));
      }
      return h('tr', { 'data-user': u.username, class: u.disabled ? 'disabled' : undefined },
        cell(h('bdi', {}, u.username)), cell(h('bdi', {}, u.organisation)),
        cell(u.roles.map(roleName).join(', ')),
        cell(u.second_factor ? t('yes') : t('no')),
        cell(u.disabled ? t('adminDisabledState') : t('adminActive')),
        actions);
    }, (err) => say(x.errorText(err), true));
  }

  // A user's roles, changed as a whole set (PUT .../roles; their sessions end, their tokens are
  // revoked). Admin and partner are what an account is for its whole life, so their boxes only
  // show it; the server also refuses roles that read TLP:RED for an account without a second
  // factor, which is enrolled at the instance (docs/security.md, "Administration").
  function rolesEditor(u: UserRow): HTMLElement {
    const id = `roles-${u.username}`;
    const open = h('button', { type: 'button', class: 'link', id, 'aria-expanded': 'false' }, t('adminChangeRoles'));
    const boxes = ROLES.map((r) => h('input', { type: 'checkbox', id: `${id}-${r}`, value: r }));
    boxes.forEach((b) => {
      b.checked = u.roles.includes(b.value);
      b.disabled = b.value === 'admin' || b.value === 'partner';
    });
    for (const b of boxes) {
      b.addEventListener('change', () => {
        if (!b.checked) return;
        for (const o of boxes) if (o !== b && (b.value === 'admin' || o.value === 'admin')) o.checked = false;
      });
    }
    const out = h('div', { id: `${id}-result`, 'aria-live': 'polite' });
    const form = h('form', { class: 'admin-form roles-form', id: `${id}-form`, hidden: true },
      h('fieldset', {}, h('legend', {}, t('adminRolesOf', { user: u.username })),
        ...boxes.map((b) => h('label', { for: b.id, class: 'check' }, b, roleName(b.value)))),
      h('p', { class: 'sub' }, t('adminRolesHint')),
      h('button', { type: 'submit', class: 'primary', id: `${id}-save` }, t('adminSaveRoles')),
      out);
    open.addEventListener('click', () => {
      form.hidden = !form.hidden;
      open.setAttribute('aria-expanded', String(!form.hidden));
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clear(out);
      const roles = boxes.filter((b) => b.checked).map((b) => b.value);
      try {
        const changed = await put<UserRow>(`/api/v1/admin/users/${encodeURIComponent(u.username)}/roles`, { roles });
        say(t('adminRolesChanged', { user: u.username, roles: changed.roles.map(roleName).join(', ') }));
        await loadUsers();
      } catch (err) {
        out.append(h('p', { class: 'status error', role: 'alert' }, x.errorText(err)));
      }
    });
    return h('span', { class: 'roles-editor' }, open, form);
  }

  // Over the network the console adds administrators only: an account that reads marked data
  // is added at the instance (corridor users add), so that its password and second factor
  // reach only its holder (docs/security.md, "Administration").
  function addUserForm(): HTMLElement {
    const name = h('input', { id: 'new-user', required: true, maxlength: 64, pattern: '[a-z0-9._\\-]+', autocomplete: 'off' });
    const org = h('select', { id: 'new-user-org', required: true },
      ...orgNames.map((o) => h('option', { value: o }, o)));
    const pass = h('input', { id: 'new-user-password', type: 'password', required: true, minlength: 12, autocomplete: 'new-password' });
    const out = h('div', { id: 'new-user-result', 'aria-live': 'polite' });
    const form = h('form', { class: 'admin-form', id: 'add-user-form' },
      h('h4', {}, t('adminAddAdmin')),
      h('p', { class: 'sub' }, t('adminAddAdminHint')),
      h('label', { for: 'new-user' }, t('adminAccount')), name,
      h('p', { class: 'sub' }, t('adminAccountHint')),
      h('label', { for: 'new-user-org' }, t('adminOrg')), org,
      h('label', { for: 'new-user-password' }, t('adminPassword')), pass,
      h('button', { type: 'submit', class: 'primary', id: 'new-user-submit' }, t('adminAdd')),
      out);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clear(out);
      try {
        const u = await post<UserRow>('/api/v1/admin/users',
          { username: name.value.trim(), organisation: org.value, roles: ['admin'], password: pass.value });
        pass.value = '';
        say(t('adminAdded', { user: u.username }));
        await loadUsers();
      } catch (err) {
        out.append(h('p', { class: 'status error', role: 'alert' }, x.errorText(err)));
      }
    });
    return form;
  }

  // Over the network a token is made for the administrator's own account only (docs/security.md,
  // "Administration"); its secret is shown here once and never listed.
  const tokenForm = ((): HTMLElement => {
    const label = h('input', { id: 'new-token-label', maxlength: 200, autocomplete: 'off' });
    const out = h('div', { id: 'new-token-result', 'aria-live': 'polite' });
    const form = h('form', { class: 'admin-form', id: 'add-token-form' },
      h('h4', {}, t('adminCreateToken')),
      h('label', { for: 'new-token-label' }, t('adminLabel')), label,
      h('button', { type: 'submit', class: 'primary', id: 'new-token-submit' }, t('adminCreate')),
      out);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clear(out);
      try {
        const k = await post<TokenRow & { token: string }>('/api/v1/admin/tokens', { username: x.me, label: label.value.trim() });
        label.value = '';
        out.append(h('p', { class: 'status info' }, t('adminTokenCreated', { id: k.id })),
          h('code', { id: 'new-token-secret', dir: 'ltr', class: 'secret' }, k.token));
        await loadTokens();
      } catch (err) {
        out.append(h('p', { class: 'status error', role: 'alert' }, x.errorText(err)));
      }
    });
    return form;
  })();

  async function loadTokens(): Promise<void> {
    clear(tokens);
    const wrap = table('tokens-table', t('adminTokens'),
      [t('adminTokenId'), t('adminAccount'), t('adminLabel'), t('adminCreated'), ''], []);
    tokens.append(h('h3', { id: 'admin-tokens-title', tabindex: -1 }, t('adminTokens')),
      h('p', { class: 'sub' }, t('adminTokensHint')), wrap, tokenForm);
    await paged<TokenRow>('/api/v1/admin/tokens', tbodyOf(wrap), wrap, 'tokens-more', (k) => {
      const actions = cell();
      if (k.revoked) {
        actions.append(t('adminRevokedOn', { date: when(k.revoked) }));
      } else {
        const b = h('button', { type: 'button', class: 'link danger', id: `revoke-${k.id}` }, t('adminRevoke'));
        b.addEventListener('click', async () => {
          if (!window.confirm(t('adminRevokeConfirm', { id: k.id }))) return;
          try {
            await post(`/api/v1/admin/tokens/${encodeURIComponent(k.id)}/revoke`, {});
            say(t('adminRevoked', { id: k.id }));
            await loadTokens();
          } catch (err) { say(x.errorText(err), true); }
        });
        actions.append(b);
      }
      return h('tr', { 'data-token': k.id }, cell(h('code', { dir: 'ltr' }, k.id)), cell(h('bdi', {}, k.username)),
        cell(h('bdi', {}, k.label || '—')), cell(when(k.created)), actions);
    }, (err) => say(x.errorText(err), true));
  }

  // The audit log: filters, the newest 100 entries that match, and the chain's verification.
  const actor = h('input', { id: 'audit-actor', maxlength: 64, autocomplete: 'off' });
  const action = h('select', { id: 'audit-action' }, h('option', { value: '' }, t('adminAnyAction')),
    ...['sign-in', 'sign-in-failed', 'read', 'write', 'marking', 'marking-request', 'approve', 'reject', 'export',
      'search', 'admin', 'committee-write', 'sync-receive', 'sync-send'].map((a) => h('option', { value: a }, a)));
  const since = h('input', { id: 'audit-since', type: 'date' });
  const until = h('input', { id: 'audit-until', type: 'date' });
  const verifyOut = h('p', { id: 'audit-verify-result', class: 'status', role: 'status' });
  const verifyBtn = h('button', { type: 'button', id: 'audit-verify' }, t('adminVerify'));
  const auditList = h('div', { id: 'audit-list' });
  verifyBtn.addEventListener('click', async () => {
    verifyOut.className = 'status';
    verifyOut.textContent = t('loading');
    try {
      // A log too long for one request is checked as a job, with its progress shown.
      const v = await getOrJob<Verify>('/api/v1/admin/audit/verify', 'audit.verify', {},
        (f) => { verifyOut.textContent = t('adminVerifyProgress', { pct: Math.round(f * 100) }); });
      verifyOut.className = v.ok ? 'status info verified' : 'status error broken';
      verifyOut.textContent = v.ok ? t('adminVerifyOk', { n: num(v.entries) })
        : t('adminVerifyBroken', { seq: v.first_bad_seq, why: v.problem });
    } catch (err) { verifyOut.className = 'status error'; verifyOut.textContent = x.errorText(err); }
  });
  async function loadAudit(): Promise<void> {
    const params: Record<string, string> = { limit: '100' };
    if (actor.value.trim()) params.actor = actor.value.trim();
    if (action.value) params.action = action.value;
    if (since.value) params.since = since.value;
    if (until.value) {
      // The day given is included: the filter ends before the next day.
      const next = new Date(`${until.value}T00:00:00Z`);
      next.setUTCDate(next.getUTCDate() + 1);
      params.until = next.toISOString().slice(0, 10);
    }
    const r = await get<Items<AuditRow>>('/api/v1/admin/audit', params);
    clear(auditList);
    if (!r.items.length) {
      auditList.append(h('p', { class: 'sub', id: 'audit-none' }, t('noMatches')));
      return;
    }
    auditList.append(table('audit-table', t('adminAudit'), ['#', t('adminTime'), t('adminAccount'), t('adminAction'), t('adminDetail')],
      r.items.map((e) => h('tr', { 'data-seq': String(e.seq) },
        cell(String(e.seq)), cell(when(e.time)), cell(h('bdi', {}, e.actor || t('adminSystem'))),
        cell(e.action),
        cell(h('code', { dir: 'ltr', class: 'detail' }, [e.objects.join(', '), JSON.stringify(e.detail)].filter((s) => s && s !== '{}').join(' ')))))));
    if (r.count >= 100) auditList.append(h('p', { class: 'sub' }, t('adminAuditMore')));
  }
  const filters = h('form', { class: 'admin-filters', id: 'audit-filters' },
    h('label', { for: 'audit-actor' }, t('adminAccount')), actor,
    h('label', { for: 'audit-action' }, t('adminAction')), action,
    h('label', { for: 'audit-since' }, t('from')), since,
    h('label', { for: 'audit-until' }, t('to')), until,
    h('button', { type: 'submit', id: 'audit-apply' }, t('apply')));
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    void loadAudit().catch((err) => say(x.errorText(err), true));
  });
  audit.append(h('div', { class: 'buttons' }, verifyBtn), verifyOut, filters, auditList);

  async function loadPartners(): Promise<void> {
    clear(partners);
    partners.append(h('h3', { id: 'admin-partners-title', tabindex: -1 }, t('adminPartners')));
    const wrap = table('partners-table', t('adminPartners'),
      [t('adminPartner'), t('adminOrg'), t('adminLastSync'), t('adminCursor')], []);
    partners.append(wrap);
    const first = await paged<PartnerRow>('/api/v1/admin/partners', tbodyOf(wrap), wrap, 'partners-more',
      (p) => h('tr', { 'data-partner': p.name },
        cell(h('bdi', {}, p.name), h('br', {}), h('code', { dir: 'ltr' }, p.url)), cell(h('bdi', {}, p.org)),
        cell(p.last_sync ? when(p.last_sync) : t('adminNever')), cell(p.cursor ? when(p.cursor) : '—')),
      (err) => say(x.errorText(err), true));
    if (!first.length) wrap.replaceWith(h('p', { class: 'sub', id: 'partners-none' }, t('adminNoPartners')));
  }

  const steps: Promise<void>[] = [
    loadOrgs().then(loadUsers), loadTokens(), loadAudit(), loadPartners(), x.pendingRequests(pending),
  ];
  for (const s of steps) s.catch(x.showError);
  await Promise.allSettled(steps);
}

const ROLE_KEYS = {
  analyst: 'roleAnalyst', committee: 'roleCommittee', 'site-security': 'roleSiteSecurity', partner: 'rolePartner', admin: 'roleAdmin',
} as const;
const ROLES = Object.keys(ROLE_KEYS);

function roleName(r: string): string {
  return r in ROLE_KEYS ? t(ROLE_KEYS[r as keyof typeof ROLE_KEYS]) : r;
}
