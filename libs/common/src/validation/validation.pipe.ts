import { ValidationError, ValidationPipe } from '@nestjs/common';
import { AppException, ErrorDetail } from '../errors/app.exception';

/** whitelist + forbidNonWhitelisted + transform; failures are 400 VALIDATION_FAILED per field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: true, // one precise message per field, not every rule it also breaks
    exceptionFactory: (errors) =>
      new AppException('VALIDATION_FAILED', 'The request is not valid', flatten(errors)),
  });
}

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      details.push({ field, message });
    }
    if (error.children?.length) details.push(...flatten(error.children, field));
  }
  return details;
}
