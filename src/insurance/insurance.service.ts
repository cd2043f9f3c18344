import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppException, NotFoundError, Page, pageNewestFirst, RequestActor, toPage } from '@app/common';
import { AuditLogService } from '../audit-log/audit-log.service';
import { IesClient } from '../providers/clients/ies.client';
import { CustomerProfileResponse, ListCustomerProfilesQueryDto } from './dto/customer-profile.dto';
import { CustomerProfile, Policy } from './insurance.entities';

export interface InsuranceCounts {
  profiles_total: number;
  policies_missing_customer_profile_id: number;
  quote_applications_total: number;
  insurance_products_total: number;
}

/** Read access to the insurance domain tables for the modules that pay and reconcile. */
@Injectable()
export class InsuranceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ies: IesClient,
    private readonly audit: AuditLogService,
  ) {}

  async listProfiles(query: ListCustomerProfilesQueryDto): Promise<Page<CustomerProfileResponse>> {
    const qb = this.dataSource.getRepository(CustomerProfile).createQueryBuilder('c');
    if (query.missingClientCode === true) qb.andWhere('c.ies_client_code IS NULL');
    if (query.missingClientCode === false) qb.andWhere('c.ies_client_code IS NOT NULL');
    const rows = await pageNewestFirst(qb, 'c', query.limit, query.cursor).getMany();
    return toPage(rows, query.limit, CustomerProfileResponse.from);
  }

  /**
   * Links a profile to its IES customer. The code is checked with IES first: a wrong code
   * would only surface later, as a refused receipt after the customer has paid.
   */
  async setClientCode(id: string, code: string, actor: RequestActor): Promise<CustomerProfileResponse> {
    const profile = await this.findProfile(id);
    if (!profile) throw new NotFoundError('Customer profile');
    if (!(await this.ies.getCustomer(code))) {
      throw new AppException('VALIDATION_FAILED', `IES has no customer with client code ${code}`, [
        { field: 'iesClientCode', message: 'unknown to IES' },
      ]);
    }
    if (profile.iesClientCode === code) return CustomerProfileResponse.from(profile);
    const before = profile.iesClientCode;
    await this.dataSource.transaction(async (em) => {
      await em.update(CustomerProfile, { id }, { iesClientCode: code });
      await this.audit.record(
        {
          actor,
          action: 'customer_profile.client_code_set',
          targetType: 'customer_profile',
          targetId: id,
          before: { ies_client_code: before },
          after: { ies_client_code: code },
        },
        em,
      );
    });
    return CustomerProfileResponse.from({ ...profile, iesClientCode: code });
  }

  async counts(em: EntityManager = this.dataSource.manager): Promise<InsuranceCounts> {
    const [row] = await em.query(`
      SELECT (SELECT count(*) FROM customer_profiles) AS profiles_total,
             (SELECT count(*) FROM policies WHERE customer_profile_id IS NULL) AS policies_missing_customer_profile_id,
             (SELECT count(*) FROM quote_applications) AS quote_applications_total,
             (SELECT count(*) FROM insurance_products) AS insurance_products_total`);
    return {
      profiles_total: Number(row.profiles_total),
      policies_missing_customer_profile_id: Number(row.policies_missing_customer_profile_id),
      quote_applications_total: Number(row.quote_applications_total),
      insurance_products_total: Number(row.insurance_products_total),
    };
  }

  findProfile(id: string): Promise<CustomerProfile | null> {
    return this.dataSource.getRepository(CustomerProfile).findOneBy({ id });
  }

  findPolicy(id: string): Promise<Policy | null> {
    return this.dataSource.getRepository(Policy).findOneBy({ id });
  }

  /** Policies with no customer profile, oldest first (bounded). */
  policiesWithoutProfile(limit: number): Promise<Policy[]> {
    return this.dataSource
      .getRepository(Policy)
      .createQueryBuilder('p')
      .where('p.customer_profile_id IS NULL')
      .orderBy('p.created_at', 'ASC')
      .limit(limit)
      .getMany();
  }
}
