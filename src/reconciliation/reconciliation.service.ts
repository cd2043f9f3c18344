import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppException, ListQueryDto, NotFoundError, Page, pageNewestFirst, RequestActor, toPage } from '@app/common';
import { AuditLogService } from '../audit-log/audit-log.service';
import { ProviderException } from '../providers/providers.errors';
import { InsuranceService } from '../insurance/insurance.service';
import { SquadClient, SquadTransaction } from '../providers/clients/squad.client';
import { Payment } from '../payments/payment.entity';
import { ReconciliationFinding, ReconciliationRun } from './reconciliation-run.entity';
import {
  ReconciliationRunResponse,
  ReconciliationRunSummary,
  ReconciliationSummaryResponse,
} from './dto/reconciliation.response.dto';

/** A run lists at most this many findings per check (the counts stay exact). */
const MAX_FINDINGS_PER_CHECK = 200;
/** Today's payments compared with Squad, at most (each is one verify call). */
const MAX_SQUAD_CHECKS = 200;
const SQUAD_CONCURRENCY = 4;
/** The Squad comparison stops after this long; what is left is reported as unchecked. */
const SQUAD_CHECK_BUDGET_MS = 20_000;

@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger(ReconciliationService.name);
  /** One run at a time per process: runs are heavy (many Squad calls) and idempotent in effect. */
  private running = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly insurance: InsuranceService,
    private readonly squad: SquadClient,
    private readonly audit: AuditLogService,
  ) {}

  /** The seed's summary, counted from the real tables. */
  async summary(): Promise<ReconciliationSummaryResponse> {
    const counts = await this.insurance.counts();
    const [{ n }] = await this.dataSource.query(`SELECT count(*) AS n FROM payments WHERE client_code IS NULL`);
    const recent = await this.dataSource
      .getRepository(ReconciliationRun)
      .find({ order: { createdAt: 'DESC', id: 'DESC' }, take: 5 });
    return {
      profiles_total: counts.profiles_total,
      policies_missing_customer_profile_id: counts.policies_missing_customer_profile_id,
      payments_missing_client_code: Number(n),
      quote_applications_total: counts.quote_applications_total,
      insurance_products_total: counts.insurance_products_total,
      recent_runs: recent.map(ReconciliationRunSummary.from),
    };
  }

  /**
   * Runs every check now and stores the run: verified payments not posted to IES, payments
   * without an IES client code, policies without a customer profile, amounts Squad disputed,
   * and today's (UTC) payments whose local status disagrees with Squad's verify.
   */
  async run(trigger: 'manual' | 'schedule', actor: RequestActor | null): Promise<ReconciliationRunResponse> {
    if (this.running) {
      throw new AppException('RECONCILIATION_IN_PROGRESS', 'A reconciliation run is in progress; read GET /v1/admin/reconciliation/runs shortly');
    }
    this.running = true;
    try {
      return await this.runChecks(trigger, actor);
    } finally {
      this.running = false;
    }
  }

  private async runChecks(trigger: 'manual' | 'schedule', actor: RequestActor | null): Promise<ReconciliationRunResponse> {
    const startedAt = new Date();
    const findings: ReconciliationFinding[] = [];
    const counts: Record<string, number> = {};
    let error: string | null = null;
    try {
      await this.checkNotPosted(findings, counts);
      await this.checkMissingClientCode(findings, counts);
      await this.checkPoliciesWithoutProfile(findings, counts);
      await this.checkAmountMismatches(findings, counts);
      await this.checkAgainstSquad(findings, counts, startedAt);
    } catch (err) {
      error = (err as Error).message;
      this.logger.error(`Reconciliation run failed: ${error}`);
    }
    // The run and its audit event commit together.
    const run = await this.dataSource.transaction(async (em) => {
      const saved = await em.save(
        em.create(ReconciliationRun, {
          trigger,
          actorClientId: actor?.clientId ?? null,
          status: error ? 'failed' : 'completed',
          counts,
          findings,
          error,
          startedAt,
          finishedAt: new Date(),
        }),
      );
      await this.audit.record(
        {
          actor: actor ?? undefined,
          action: 'reconciliation.run',
          targetType: 'reconciliation_run',
          targetId: saved.id,
          after: { trigger, status: saved.status, counts },
        },
        em,
      );
      return saved;
    });
    return ReconciliationRunResponse.full(run);
  }

  async list(query: ListQueryDto): Promise<Page<ReconciliationRunSummary>> {
    const qb = this.dataSource.getRepository(ReconciliationRun).createQueryBuilder('r');
    const rows = await pageNewestFirst(qb, 'r', query.limit, query.cursor).getMany();
    return toPage(rows, query.limit, ReconciliationRunSummary.from);
  }

  async get(id: string): Promise<ReconciliationRunResponse> {
    const run = await this.dataSource.getRepository(ReconciliationRun).findOneBy({ id });
    if (!run) throw new NotFoundError('Reconciliation run');
    return ReconciliationRunResponse.full(run);
  }

  /** Whether a scheduled run already happened on this UTC day (replicas share one schedule). */
  async scheduledRunExists(day: Date): Promise<boolean> {
    const start = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()));
    const rows = await this.dataSource.query(
      `SELECT 1 FROM reconciliation_runs WHERE trigger = 'schedule' AND started_at >= $1 AND started_at < $1::timestamptz + interval '1 day' LIMIT 1`,
      [start],
    );
    return rows.length > 0;
  }

  private async checkNotPosted(findings: ReconciliationFinding[], counts: Record<string, number>): Promise<void> {
    const rows = await this.payments()
      .where(`p.status = 'verified' AND p.autopost_status <> 'posted' AND p.amount_mismatch_kobo IS NULL`)
      .orderBy('p.verified_at', 'ASC')
      .getMany();
    counts.verified_not_posted = rows.length;
    for (const p of rows.slice(0, MAX_FINDINGS_PER_CHECK)) {
      findings.push({
        check: 'verified_not_posted',
        severity: 'error',
        message:
          `Verified by Squad but not posted to IES (autopost ${p.autopostStatus}` +
          `${p.autopostAttempts ? ` after ${p.autopostAttempts} attempt(s)` : ''}${p.lastError ? `: ${p.lastError}` : ''})`,
        subject: { type: 'payment', id: p.id, reference: p.reference },
        detail: { amount: p.amountKobo, currency: p.currency, client_code: p.clientCode, verified_at: p.verifiedAt },
      });
    }
  }

  private async checkMissingClientCode(findings: ReconciliationFinding[], counts: Record<string, number>): Promise<void> {
    const rows = await this.payments().where('p.client_code IS NULL').orderBy('p.created_at', 'ASC').getMany();
    counts.payments_missing_client_code = rows.length;
    for (const p of rows.slice(0, MAX_FINDINGS_PER_CHECK)) {
      findings.push({
        check: 'payment_missing_client_code',
        severity: p.status === 'verified' ? 'error' : 'warning',
        message: `Payment has no IES client code, so it cannot be posted to IES (status ${p.status})`,
        subject: { type: 'payment', id: p.id, reference: p.reference },
        detail: { customer_profile_id: p.customerProfileId },
      });
    }
  }

  private async checkPoliciesWithoutProfile(findings: ReconciliationFinding[], counts: Record<string, number>): Promise<void> {
    const { policies_missing_customer_profile_id: total } = await this.insurance.counts();
    counts.policies_missing_customer_profile_id = total;
    for (const policy of await this.insurance.policiesWithoutProfile(MAX_FINDINGS_PER_CHECK)) {
      findings.push({
        check: 'policy_missing_customer_profile',
        severity: 'warning',
        message: `Policy ${policy.policyNumber} has no customer profile`,
        subject: { type: 'policy', id: policy.id, reference: policy.policyNumber },
      });
    }
  }

  private async checkAmountMismatches(findings: ReconciliationFinding[], counts: Record<string, number>): Promise<void> {
    const rows = await this.payments().where('p.amount_mismatch_kobo IS NOT NULL').getMany();
    counts.amount_mismatch = rows.length;
    for (const p of rows.slice(0, MAX_FINDINGS_PER_CHECK)) {
      findings.push({
        check: 'amount_mismatch',
        severity: 'error',
        message: `Squad settled ${p.amountMismatchKobo} kobo for a payment of ${p.amountKobo} kobo; not posted`,
        subject: { type: 'payment', id: p.id, reference: p.reference },
      });
    }
  }

  /** Today's payments (UTC) against Squad's verify answer. */
  private async checkAgainstSquad(findings: ReconciliationFinding[], counts: Record<string, number>, now: Date): Promise<void> {
    const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const payments = await this.payments()
      .where('p.created_at >= :dayStart', { dayStart })
      .orderBy('p.created_at', 'ASC')
      .limit(MAX_SQUAD_CHECKS)
      .getMany();
    counts.squad_checked = 0;
    counts.squad_status_mismatch = 0;
    counts.squad_unreachable = 0;
    const queue = [...payments];
    const deadline = Date.now() + SQUAD_CHECK_BUDGET_MS;
    let stopped: string | null = null;
    const worker = async () => {
      for (let p = queue.shift(); p && !stopped; p = queue.shift()) {
        if (Date.now() > deadline) {
          stopped = `the ${SQUAD_CHECK_BUDGET_MS / 1000} s budget for Squad checks ran out`;
          queue.unshift(p);
          break;
        }
        let tx: SquadTransaction | null;
        try {
          tx = await this.squad.verifyTransaction(p.reference);
        } catch (err) {
          if (err instanceof ProviderException && err.failure === 'unavailable') {
            // Squad's circuit is open: asking on would only add load to a failing provider.
            stopped = 'Squad is unavailable (circuit open)';
            queue.unshift(p);
            break;
          }
          counts.squad_unreachable++;
          findings.push({
            check: 'squad_unreachable',
            severity: 'warning',
            message: `Could not ask Squad about this payment: ${(err as Error).message}`,
            subject: { type: 'payment', id: p.id, reference: p.reference },
          });
          continue;
        }
        counts.squad_checked++;
        const mismatch = compareWithSquad(p, tx);
        if (mismatch) {
          counts.squad_status_mismatch++;
          findings.push({
            check: 'squad_status_mismatch',
            severity: 'error',
            message: mismatch,
            subject: { type: 'payment', id: p.id, reference: p.reference },
            detail: { local_status: p.status, squad_status: tx?.status ?? null },
          });
        }
      }
    };
    await Promise.all(Array.from({ length: SQUAD_CONCURRENCY }, worker));
    counts.squad_unchecked = queue.length;
    if (stopped && queue.length) {
      findings.push({
        check: 'squad_unchecked',
        severity: 'warning',
        message: `${queue.length} of today's payments were not compared with Squad: ${stopped}`,
        subject: { type: 'run', id: 'squad' },
      });
    }
  }

  private payments() {
    return this.dataSource.getRepository(Payment).createQueryBuilder('p');
  }
}

/** Why a payment's local status and Squad's answer disagree, or null when they agree. */
export function compareWithSquad(p: Payment, tx: SquadTransaction | null): string | null {
  if (!tx) return p.status === 'failed' && !p.checkoutUrl ? null : `Squad does not know this reference (local status ${p.status})`;
  if (p.status === 'verified' && tx.status !== 'Success') return `Verified here, but Squad says ${tx.status}`;
  if (p.status === 'pending' && tx.status === 'Success' && p.amountMismatchKobo === null) {
    return 'Squad settled it, but it is still pending here (webhook missed? verify it)';
  }
  if (p.status === 'failed' && tx.status === 'Success') return 'Failed here, but Squad says Success';
  return null;
}
