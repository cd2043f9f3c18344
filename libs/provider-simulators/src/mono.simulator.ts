import { createHash, randomUUID } from 'node:crypto';
import { sameText } from './ies.simulator';
import { SimRequest, SimResponse, SimulatorServer } from './simulator-server';

export interface MonoSimulatorOptions {
  secretKey: string;
  /** The OTP every lookup accepts (default 123456). */
  otp?: string;
}

interface Session {
  bvn: string;
  scope: string;
  method: string | null;
}

const METHODS = ['email', 'phone', 'phone_1', 'alternate_phone'] as const;
/** A BVN the simulator does not know (answers 404), for tests of the unhappy path. */
export const MONO_UNKNOWN_BVN = '00000000000';
export const MONO_DEFAULT_OTP = '123456';

/**
 * Mono's BVN lookup (api.withmono.com, header `mono-sec-key`), three steps:
 *
 * 1. `POST /v2/lookup/bvn/initiate` `{bvn, scope: "identity"}` → `data.session_id` and the
 *    verification `methods` (`email`, `phone`, `phone_1`, `alternate_phone`) with hints.
 *    `00000000000` is unknown (404); anything but 11 digits is 400.
 * 2. `POST /v2/lookup/bvn/verify` (header `x-session-id`) `{method, phone_number?}` sends the
 *    OTP (`alternate_phone` needs `phone_number`).
 * 3. `POST /v2/lookup/bvn/details` (header `x-session-id`) `{otp}` → the identity. The
 *    simulator's OTP is `123456`.
 *
 * Answers are `{status: "successful"|"failed", message, timestamp, data}`.
 */
export class MonoSimulator extends SimulatorServer {
  readonly name = 'mono';
  private sessions = new Map<string, Session>();

  constructor(private readonly options: MonoSimulatorOptions) {
    super();
    this.route('POST', '/v2/lookup/bvn/initiate', (req) => this.initiate(req));
    this.route('POST', '/v2/lookup/bvn/verify', (req) => this.verify(req));
    this.route('POST', '/v2/lookup/bvn/details', (req) => this.details(req));
  }

  protected documentation(): Record<string, unknown> {
    return {
      provider: 'Mono BVN lookup (simulated)',
      auth: 'mono-sec-key: <secret key>',
      routes: [
        'POST /v2/lookup/bvn/initiate {bvn, scope?: "identity"}',
        'POST /v2/lookup/bvn/verify (x-session-id) {method, phone_number?}',
        'POST /v2/lookup/bvn/details (x-session-id) {otp}',
      ],
      otp: this.otp,
      unknownBvn: MONO_UNKNOWN_BVN,
    };
  }

  protected authenticate(req: SimRequest): SimResponse | undefined {
    const key = req.headers['mono-sec-key'];
    if (typeof key === 'string' && sameText(key, this.options.secretKey)) return undefined;
    return monoFail(401, 'Unauthorized: invalid mono-sec-key');
  }

  protected override faultBody(status: number): unknown {
    return { status: 'failed', message: `Simulated Mono fault (HTTP ${status})`, timestamp: new Date().toISOString(), data: null };
  }

  protected resetData(): void {
    this.sessions = new Map();
  }

  private get otp(): string {
    return this.options.otp ?? MONO_DEFAULT_OTP;
  }

  private initiate(req: SimRequest): SimResponse {
    const body = (req.body ?? {}) as { bvn?: unknown; scope?: unknown };
    if (typeof body.bvn !== 'string' || !/^\d{11}$/.test(body.bvn)) return monoFail(400, 'bvn must be 11 digits');
    const scope = body.scope ?? 'identity';
    if (scope !== 'identity' && scope !== 'bank_accounts') return monoFail(400, 'scope must be identity or bank_accounts');
    if (body.bvn === MONO_UNKNOWN_BVN) return monoFail(404, 'BVN not found');
    const sessionId = randomUUID();
    this.sessions.set(sessionId, { bvn: body.bvn, scope, method: null });
    const person = personFor(body.bvn);
    return monoOk('BVN Lookup initiated successfully', {
      session_id: sessionId,
      methods: [
        { method: 'email', hint: `An email with a verification code will be sent to ${mask(person.email, 3)}` },
        { method: 'phone', hint: `A SMS with a verification code will be sent to phone number ${mask(person.phone, 4)}` },
        { method: 'phone_1', hint: `A SMS with a verification code will be sent to phone number ${mask(person.phone2, 4)}` },
        { method: 'alternate_phone', hint: 'A SMS with a verification code will be sent to the phone number you provide' },
      ],
    });
  }

  private verify(req: SimRequest): SimResponse {
    const session = this.session(req);
    if (!session) return monoFail(404, 'Session not found or expired');
    const body = (req.body ?? {}) as { method?: unknown; phone_number?: unknown };
    if (!METHODS.includes(body.method as (typeof METHODS)[number])) return monoFail(400, `method must be one of ${METHODS.join(', ')}`);
    if (body.method === 'alternate_phone' && (typeof body.phone_number !== 'string' || !body.phone_number)) {
      return monoFail(400, 'phone_number is required for alternate_phone');
    }
    session.method = body.method as string;
    return monoOk('Please enter the OTP sent to you', null);
  }

  private details(req: SimRequest): SimResponse {
    const session = this.session(req);
    if (!session) return monoFail(404, 'Session not found or expired');
    if (!session.method) return monoFail(400, 'Verify the session with a method first');
    const otp = (req.body as { otp?: unknown } | undefined)?.otp;
    if (typeof otp !== 'string' || !sameText(otp, this.otp)) return monoFail(400, 'Invalid OTP');
    const p = personFor(session.bvn);
    return monoOk('BVN details retrieved successfully', {
      first_name: p.first,
      last_name: p.last,
      middle_name: p.middle,
      dob: p.dob,
      phone_number: p.phone,
      phone_number_2: p.phone2,
      email: p.email,
      gender: p.gender,
      state_of_origin: p.state,
      lga_of_origin: null,
      nin: null,
      bvn: session.bvn,
      registration_date: '2015-06-12',
      marital_status: 'single',
      nationality: 'Nigeria',
      residential_address: `${10 + p.house} Marina Road, Lagos`,
      watch_listed: 'NO',
    });
  }

  private session(req: SimRequest): Session | undefined {
    const id = req.headers['x-session-id'];
    return typeof id === 'string' ? this.sessions.get(id) : undefined;
  }
}

const FIRST = ['Adaeze', 'Babatunde', 'Chiamaka', 'Dayo', 'Emeka', 'Funmilayo', 'Gbenga', 'Halima', 'Ifeanyi', 'Jumoke'];
const LAST = ['Okafor', 'Adeyemi', 'Nwosu', 'Bello', 'Eze', 'Ogunleye', 'Danjuma', 'Abubakar', 'Obi', 'Ibrahim'];
const STATES = ['Lagos', 'Oyo', 'Anambra', 'Kano', 'Enugu', 'Rivers', 'Kaduna', 'Ogun', 'Imo', 'Delta'];

/** A made-up person derived from the BVN's digits, so the same BVN always answers the same. */
function personFor(bvn: string) {
  // Digits of a hash, not of the BVN itself: no part of the BVN shows in the answer.
  const d = [...createHash('sha256').update(bvn).digest()].map((b) => b % 10);
  const first = FIRST[d[10]];
  const last = LAST[d[9]];
  return {
    first,
    last,
    middle: FIRST[d[8]],
    dob: `19${70 + ((d[7] * 10 + d[6]) % 30)}-${String((d[5] % 9) + 1).padStart(2, '0')}-${String((d[4] % 28) + 1).padStart(2, '0')}`,
    gender: d[3] % 2 ? 'Male' : 'Female',
    state: STATES[d[2]],
    email: `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
    phone: `0803${d.slice(11, 18).join('')}`,
    house: d[12] * 10 + d[13],
    phone2: `0805${d.slice(18, 25).join('')}`,
  };
}

function mask(text: string, keep: number): string {
  return text.slice(0, keep) + '*'.repeat(Math.max(0, text.length - keep - 3)) + text.slice(-3);
}

function monoOk(message: string, data: unknown): SimResponse {
  return { status: 200, body: { status: 'successful', message, timestamp: new Date().toISOString(), data } };
}

function monoFail(status: number, message: string): SimResponse {
  return { status, body: { status: 'failed', message, timestamp: new Date().toISOString(), data: null } };
}
