import { ApiProperty } from '@nestjs/swagger';

export class ProviderPingResponse {
  @ApiProperty({ example: true, description: 'The provider answered (below HTTP 500) within the ping timeout' })
  ok: boolean;

  @ApiProperty({ example: 200, nullable: true, type: Number, description: 'The HTTP status answered; null when none came' })
  status: number | null;
}

/** The seed's shape, exactly. */
export class ProvidersStatusResponse {
  @ApiProperty({ type: ProviderPingResponse })
  squad: ProviderPingResponse;

  @ApiProperty({ type: ProviderPingResponse })
  ies: ProviderPingResponse;

  @ApiProperty({ type: ProviderPingResponse })
  mono: ProviderPingResponse;

  @ApiProperty({ example: '2026-05-26T09:00:00Z' })
  checked_at: string;
}
