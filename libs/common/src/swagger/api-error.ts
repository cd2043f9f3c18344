import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ApiErrorDetail {
  @ApiPropertyOptional({ example: 'scopes' })
  field?: string;

  @ApiProperty({ example: 'each value in scopes must be a known scope' })
  message: string;
}

export class ApiErrorBody {
  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable UPPER_SNAKE error code' })
  code: string;

  @ApiProperty({ example: 'The request is not valid' })
  message: string;

  @ApiPropertyOptional({ type: [ApiErrorDetail] })
  details?: ApiErrorDetail[];

  @ApiProperty({ example: '6f1c2c1e-3a6b-4f7e-9a43-3f0f4d1f2b7a' })
  request_id: string;
}

/** The error envelope, documented once and referenced by every route. */
export class ApiErrorResponse {
  @ApiProperty({ example: false })
  ok: false;

  @ApiProperty({ type: ApiErrorBody })
  error: ApiErrorBody;
}
