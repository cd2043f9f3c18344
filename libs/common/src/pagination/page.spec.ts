import { decodeCursor, encodeCursor } from './page';

describe('cursors', () => {
  it('round-trip a row position', () => {
    const pos = { createdAt: new Date('2026-12-03T10:00:00.123Z'), id: '9b2f7a3e-2c1d-4e5f-8a9b-0c1d2e3f4a5b' };
    expect(decodeCursor(encodeCursor(pos))).toEqual(pos);
  });

  it.each(['nonsense', '', Buffer.from('99999|9b2f7a3e-2c1d-4e5f-8a9b-0c1d2e3f4a5b').toString('base64url'), Buffer.from('2026-01-01T00:00:00Z|x').toString('base64url')])(
    'refuse %p with a 400-class error',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    },
  );
});
