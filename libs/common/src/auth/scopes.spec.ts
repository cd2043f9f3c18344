import { grants, grantsAll, isKnownScope } from './scopes';

describe('scopes', () => {
  it('knows resource:read|write|* for the contract resources only', () => {
    expect(isKnownScope('payments:read')).toBe(true);
    expect(isKnownScope('admin:*')).toBe(true);
    expect(isKnownScope('payments:delete')).toBe(false);
    expect(isKnownScope('*:*')).toBe(false);
    expect(isKnownScope('root')).toBe(false);
    expect(isKnownScope(42)).toBe(false);
  });

  it('grants a concrete action by itself or by resource:*', () => {
    expect(grants(['admin:*'], 'admin:write')).toBe(true);
    expect(grants(['admin:read'], 'admin:write')).toBe(false);
    expect(grants(['payments:*'], 'admin:read')).toBe(false);
    expect(grantsAll(['admin:read', 'kyc:*'], ['admin:read', 'kyc:write'])).toBe(true);
    expect(grantsAll(['admin:read'], ['admin:read', 'kyc:write'])).toBe(false);
    expect(grantsAll([], [])).toBe(true);
  });
});
