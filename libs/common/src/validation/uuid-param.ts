import { Param, ParseUUIDPipe } from '@nestjs/common';
import { AppException } from '../errors/app.exception';

/** A path id that must be a UUID: anything else is 400 INVALID_ID before the handler runs. */
export function UuidParam(name = 'id'): ParameterDecorator {
  return Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new AppException('INVALID_ID', `Path parameter '${name}' must be a UUID`, [
          { field: name, message: 'must be a UUID' },
        ]),
    }),
  );
}
