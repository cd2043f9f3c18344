import { hasNonJsonBody, jsonDepth } from './json-body';

describe('jsonDepth', () => {
  it.each([
    ['{}', 1],
    ['[]', 1],
    ['{"a":[1,{"b":[]}]}', 4],
    ['"[[[[["', 0],
    ['{"a":"\\"[[[["}', 1],
    ['42', 0],
  ])('%s is %i deep', (text, depth) => {
    expect(jsonDepth(Buffer.from(text))).toBe(depth);
  });
});

describe('hasNonJsonBody', () => {
  const req = (headers: Record<string, string>) => ({ headers });
  it('accepts JSON types and bodiless requests', () => {
    expect(hasNonJsonBody(req({ 'content-length': '2', 'content-type': 'application/json' }))).toBe(false);
    expect(hasNonJsonBody(req({ 'content-length': '2', 'content-type': 'application/json; charset=utf-8' }))).toBe(false);
    expect(hasNonJsonBody(req({ 'content-length': '2', 'content-type': 'application/merge-patch+json' }))).toBe(false);
    expect(hasNonJsonBody(req({ 'content-length': '0', 'content-type': 'text/plain' }))).toBe(false);
    expect(hasNonJsonBody(req({}))).toBe(false);
  });
  it('flags bodies of other types, or of no type', () => {
    expect(hasNonJsonBody(req({ 'content-length': '5', 'content-type': 'text/plain' }))).toBe(true);
    expect(hasNonJsonBody(req({ 'transfer-encoding': 'chunked', 'content-type': 'application/x-www-form-urlencoded' }))).toBe(true);
    expect(hasNonJsonBody(req({ 'content-length': '5' }))).toBe(true);
    expect(hasNonJsonBody(req({ 'content-length': '5', 'content-type': 'application/jsonx' }))).toBe(true);
  });
});
