import type { Payment } from '../payments/payment.entity';
import type { SquadTransaction } from '../providers/clients/squad.client';
import { compareWithSquad } from './reconciliation.service';

const payment = (over: Partial<Payment>): Payment => ({ status: 'pending', checkoutUrl: 'https://squad/x', amountMismatchKobo: null, ...over }) as Payment;
const squad = (status: SquadTransaction['status']): SquadTransaction =>
  ({ status, reference: 'R', amount: 1, currency: 'NGN', email: 'a@b.co', gatewayRef: null, transactionType: null, createdAt: null });

describe('compareWithSquad', () => {
  it.each([
    ['pending', 'Pending', null],
    ['verified', 'Success', null],
    ['failed', 'Failed', null],
    ['failed', 'Abandoned', null],
    ['pending', 'Success', 'still pending'],
    ['verified', 'Failed', 'Squad says Failed'],
    ['failed', 'Success', 'Squad says Success'],
  ] as const)('local %s vs Squad %s', (local, remote, expected) => {
    const found = compareWithSquad(payment({ status: local }), squad(remote));
    if (expected === null) expect(found).toBeNull();
    else expect(found).toContain(expected);
  });

  it('flags references Squad does not know, except payments that never reached Squad', () => {
    expect(compareWithSquad(payment({ status: 'pending' }), null)).toContain('does not know');
    expect(compareWithSquad(payment({ status: 'failed', checkoutUrl: null }), null)).toBeNull();
  });

  it('leaves amount-flagged payments to their own check', () => {
    expect(compareWithSquad(payment({ status: 'pending', amountMismatchKobo: 5 }), squad('Success'))).toBeNull();
  });
});
