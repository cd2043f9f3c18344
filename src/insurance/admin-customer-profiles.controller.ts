import { Body, Controller, Get, Patch, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ApiEnvelope, ApiErrorResponse, Page, RequestActor, RequireScopes, UuidParam } from '@app/common';
import { CustomerProfileResponse, ListCustomerProfilesQueryDto, UpdateCustomerProfileDto } from './dto/customer-profile.dto';
import { InsuranceService } from './insurance.service';

/** Operators find profiles missing an IES client code and set it, so autoposts can be retried. */
@ApiTags('admin: customer profiles')
@Controller('admin/customer-profiles')
export class AdminCustomerProfilesController {
  constructor(private readonly insurance: InsuranceService) {}

  @Get()
  @RequireScopes('admin:read')
  @ApiOperation({ summary: 'Customer profiles, newest first (?missingClientCode=true: the ones IES cannot be posted for)' })
  @ApiEnvelope(CustomerProfileResponse, { paged: true })
  list(@Query() query: ListCustomerProfilesQueryDto): Promise<Page<CustomerProfileResponse>> {
    return this.insurance.listProfiles(query);
  }

  @Patch(':id')
  @RequireScopes('admin:write')
  @ApiOperation({
    summary: "Set a profile's IES client code (it must exist in IES); then retry the profile's failed autoposts",
  })
  @ApiEnvelope(CustomerProfileResponse)
  @ApiNotFoundResponse({ description: 'Unknown profile (NOT_FOUND)', type: ApiErrorResponse })
  update(@UuidParam() id: string, @Body() dto: UpdateCustomerProfileDto, @Actor() actor: RequestActor): Promise<CustomerProfileResponse> {
    return this.insurance.setClientCode(id, dto.iesClientCode, actor);
  }
}
