import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
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
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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
