import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions, initializeDatabase } from './data-source';

/** TypeORM on the one DataSource description; migrations run before the app serves. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config), retryAttempts: 0 }),
      dataSourceFactory: async (options) => initializeDatabase(new DataSource(options!)),
    }),
  ],
})
export class DatabaseModule {}
