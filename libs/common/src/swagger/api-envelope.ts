import { applyDecorators, Type } from '@nestjs/common';
import { ApiBadRequestResponse, ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ApiErrorResponse } from './api-error';

interface EnvelopeOptions {
  status?: number;
  description?: string;
  /** `data` is an array and the list pages with `next_cursor`. */
  paged?: boolean;
}

/** Documents a success answer as the contract's envelope around `model`. */
export function ApiEnvelope(model: Type<unknown>, options: EnvelopeOptions = {}): MethodDecorator & ClassDecorator {
  const data = options.paged
    ? { type: 'array', items: { $ref: getSchemaPath(model) } }
    : { $ref: getSchemaPath(model) };
  return applyDecorators(
    ApiExtraModels(model, ApiErrorResponse),
    ApiResponse({
      status: options.status ?? 200,
      description: options.description ?? 'Success',
      schema: {
        type: 'object',
        required: ['ok', 'data'],
        properties: {
          ok: { type: 'boolean', example: true },
          data,
          ...(options.paged
            ? { next_cursor: { type: 'string', nullable: true, description: 'Pass as ?cursor= for the next page' } }
            : {}),
        },
      },
    }),
    ApiBadRequestResponse({ description: 'Invalid input (VALIDATION_FAILED, MALFORMED_JSON, INVALID_ID)', type: ApiErrorResponse }),
  );
}
