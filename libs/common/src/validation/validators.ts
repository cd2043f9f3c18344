import { ValidateIf, ValidationOptions, registerDecorator } from 'class-validator';
import { Transform } from 'class-transformer';
import { isKnownScope } from '../auth/scopes';

/** Every entry is a known `resource:action` scope. */
export function IsScopeList(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isScopeList',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args) => {
          const bad = Array.isArray(args.value) ? args.value.filter((s) => !isKnownScope(s)) : [];
          return `${args.property} has unknown scope(s) ${bad.map((s) => JSON.stringify(s)).join(', ')}; use resource:read|write|* with resource one of products, customers, quotes, policies, payments, claims, kyc, webhooks, admin`;
        },
        ...options,
      },
      validator: { validate: (value: unknown) => Array.isArray(value) && value.every(isKnownScope) },
    });
}

/** A browser origin: `scheme://host[:port]`, http(s), nothing after it. */
export function isOrigin(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 255) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value.toLowerCase();
  } catch {
    return false;
  }
}

export function IsOriginList(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isOriginList',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args) => `${args.property} entries must be origins like https://app.example.com (scheme://host[:port], no path)`,
        ...options,
      },
      validator: { validate: (value: unknown) => Array.isArray(value) && value.every(isOrigin) },
    });
}

/** Trims surrounding whitespace of a string (other values are left for validation to refuse). */
export function Trim(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
}

/**
 * Like @IsOptional() for an omitted field, but an explicit null is validated (and refused by
 * the field's other rules) instead of slipping through to the database.
 */
export function IsOptionalNotNull(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}
