/** `resource:action`; `resource:*` grants both actions of that resource. */
export const SCOPE_RESOURCES = [
  'products',
  'customers',
  'quotes',
  'policies',
  'payments',
  'claims',
  'kyc',
  'webhooks',
  'admin',
] as const;
export const SCOPE_ACTIONS = ['read', 'write', '*'] as const;

export type ScopeResource = (typeof SCOPE_RESOURCES)[number];
export type Scope = `${ScopeResource}:${'read' | 'write' | '*'}`;

export const ALL_SCOPES: readonly string[] = SCOPE_RESOURCES.flatMap((r) => SCOPE_ACTIONS.map((a) => `${r}:${a}`));

export function isKnownScope(scope: unknown): scope is Scope {
  return typeof scope === 'string' && ALL_SCOPES.includes(scope);
}

/** Does a client holding `granted` have `required` (which names a concrete action)? */
export function grants(granted: readonly string[], required: string): boolean {
  const [resource] = required.split(':');
  return granted.includes(required) || granted.includes(`${resource}:*`);
}

export function grantsAll(granted: readonly string[], required: readonly string[]): boolean {
  return required.every((scope) => grants(granted, scope));
}
