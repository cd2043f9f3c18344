import { digestsEqual, generateApiKey, hashApiKey, isWellFormedApiKey, keyPrefixOf } from './api-key';

describe('API keys', () => {
  it('are capex_<env>_<4>_<64 hex> with the prefix up to the 4 chars', () => {
    const issued = generateApiKey('test');
    expect(issued.key).toMatch(/^capex_test_[a-z0-9]{4}_[0-9a-f]{64}$/);
    expect(keyPrefixOf(issued.key)).toBe(issued.prefix);
    expect(isWellFormedApiKey(issued.key)).toBe(true);
    expect(digestsEqual(issued.hash, hashApiKey(issued.key))).toBe(true);
  });

  it('are never the same twice', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateApiKey('live').key));
    expect(keys.size).toBe(1000);
  });

  it('refuse malformed input without throwing', () => {
    for (const bad of ['', 'capex_prod_abcd_' + 'a'.repeat(64), 'capex_live_ABCD_' + 'a'.repeat(64), 'x'.repeat(5000), null, 7]) {
      expect(isWellFormedApiKey(bad)).toBe(false);
    }
    expect(digestsEqual(Buffer.alloc(32), Buffer.alloc(31))).toBe(false);
  });
});
