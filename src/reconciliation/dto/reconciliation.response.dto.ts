import { ApiProperty } from '@nestjs/swagger';
import type { ReconciliationFinding, ReconciliationRun } from '../reconciliation-run.entity';

export class ReconciliationRunSummary {
  @ApiProperty({ example: '5b0e8c1a-3f4d-4e2b-9c7a-1d2e3f4a5b6c' })
  id: string;

  @ApiProperty({ enum: ['manual', 'schedule'] })
  trigger: string;

  @ApiProperty({ enum: ['completed', 'failed'] })
  status: string;

  @ApiProperty({ example: { verified_not_posted: 1, payments_missing_client_code: 3 } })
  counts: Record<string, number>;

  @ApiProperty({ example: 4 })
  findings_total: number;

  @ApiProperty({ example: '2026-05-26T09:00:00.000Z' })
  started_at: string;

  @ApiProperty({ example: '2026-05-26T09:00:01.000Z' })
  finished_at: string;

  static from(run: ReconciliationRun): ReconciliationRunSummary {
    return {
      id: run.id,
      trigger: run.trigger,
      status: run.status,
      counts: run.counts,
      findings_total: run.findings.length,
      started_at: run.startedAt.toISOString(),
      finished_at: run.finishedAt.toISOString(),
    };
  }
}

export class ReconciliationRunResponse extends ReconciliationRunSummary {
  @ApiProperty({ example: null, nullable: true, type: String })
  actor_client_id: string | null;

  @ApiProperty({
    example: [
      {
        check: 'verified_not_posted',
        severity: 'error',
        message: 'Verified by Squad but not posted to IES (autopost failed after 3 attempts: IES answered 503)',
        subject: { type: 'payment', id: '…', reference: 'CEA-20261203-7K3M9Q2X' },
      },
    ],
  })
  findings: ReconciliationFinding[];

  @ApiProperty({ example: null, nullable: true, type: String })
  error: string | null;

  static full(run: ReconciliationRun): ReconciliationRunResponse {
    return { ...ReconciliationRunSummary.from(run), actor_client_id: run.actorClientId, findings: run.findings, error: run.error };
  }
}

/** The seed's exact shape. */
export class ReconciliationSummaryResponse {
  @ApiProperty({ example: 1024 })
  profiles_total: number;

  @ApiProperty({ example: 0 })
  policies_missing_customer_profile_id: number;

  @ApiProperty({ example: 3 })
  payments_missing_client_code: number;

  @ApiProperty({ example: 248 })
  quote_applications_total: number;

  @ApiProperty({ example: 6 })
  insurance_products_total: number;

  @ApiProperty({ type: [ReconciliationRunSummary], example: [] })
  recent_runs: ReconciliationRunSummary[];
}
