import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adminRole, callerHasRole, callerOf } from '../../src/functions/caller';
import type { KeyLevel } from '../../src/functions/caller';
import { signedIn } from '../support/easyAuth';

const principal = (value: unknown): Record<string, string> => ({
  'x-ms-client-principal': Buffer.from(JSON.stringify(value)).toString('base64'),
});

describe('who the caller is', () => {
  const rows: {
    rule: string;
    headers: Record<string, string>;
    easyAuth: boolean;
    key?: KeyLevel;
    is: string;
  }[] = [
    {
      rule: 'a principal name sent while Easy Auth is off is a forgery: the key holder is recorded',
      headers: signedIn('mallory@contoso.com'),
      easyAuth: false,
      is: 'a holder of the function key',
    },
    {
      rule: 'on the admin route without Easy Auth, the admin key holder',
      headers: signedIn('mallory@contoso.com'),
      easyAuth: false,
      key: 'admin',
      is: 'a holder of the admin key',
    },
    {
      rule: 'with Easy Auth on, the principal it signed in',
      headers: signedIn('ana@contoso.com'),
      easyAuth: true,
      is: 'ana@contoso.com',
    },
    {
      rule: 'with Easy Auth on and the admin key, still the principal',
      headers: signedIn('ana@contoso.com'),
      easyAuth: true,
      key: 'admin',
      is: 'ana@contoso.com',
    },
    {
      rule: 'with Easy Auth on but no one signed in (anonymous requests allowed), the key holder',
      headers: {},
      easyAuth: true,
      is: 'a holder of the function key',
    },
    {
      rule: 'a blank principal name is no name',
      headers: { 'x-ms-client-principal-name': '  ' },
      easyAuth: true,
      is: 'a holder of the function key',
    },
  ];
  for (const r of rows) {
    it(r.rule, () => {
      assert.equal(callerOf(new Headers(r.headers), r.easyAuth, r.key), r.is);
    });
  }
});

describe('whether the caller holds an app role', () => {
  const rows: { rule: string; headers: Record<string, string>; easyAuth: boolean; has: boolean }[] = [
    {
      rule: `a principal with the ${adminRole} role in a roles claim, signed in by Easy Auth, has it`,
      headers: signedIn('ana@contoso.com', ['Reader', adminRole]),
      easyAuth: true,
      has: true,
    },
    {
      rule: 'the same principal sent while Easy Auth is off is a forgery and has no role',
      headers: signedIn('mallory@contoso.com', [adminRole]),
      easyAuth: false,
      has: false,
    },
    {
      rule: 'another role is not this one',
      headers: signedIn('bo@contoso.com', ['Reader']),
      easyAuth: true,
      has: false,
    },
    {
      rule: 'a claim of the type the principal names in role_typ counts as a role',
      headers: principal({ role_typ: 'role', claims: [{ typ: 'role', val: adminRole }] }),
      easyAuth: true,
      has: true,
    },
    {
      rule: 'the role name in a claim that is not a role (a group, a name) does not count',
      headers: principal({
        role_typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
        claims: [
          { typ: 'groups', val: adminRole },
          { typ: 'name', val: adminRole },
        ],
      }),
      easyAuth: true,
      has: false,
    },
    {
      rule: 'role names are compared exactly',
      headers: signedIn('bo@contoso.com', [adminRole.toLowerCase()]),
      easyAuth: true,
      has: false,
    },
    {
      rule: 'no principal header, no role',
      headers: { 'x-ms-client-principal-name': 'ana@contoso.com' },
      easyAuth: true,
      has: false,
    },
    {
      rule: 'a principal that is not base64 JSON has no role',
      headers: { 'x-ms-client-principal': 'not base64 json' },
      easyAuth: true,
      has: false,
    },
    {
      rule: 'a principal without claims has no role',
      headers: principal({ auth_typ: 'aad' }),
      easyAuth: true,
      has: false,
    },
  ];
  for (const r of rows) {
    it(r.rule, () => {
      assert.equal(callerHasRole(new Headers(r.headers), r.easyAuth, adminRole), r.has);
    });
  }
});
