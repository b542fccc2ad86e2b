/**
 * Own-property helpers for the executor: the data it merges and shapes is parsed JSON or objects it
 * made itself, so the only keys that can be inherited are Object.prototype's own names.
 */
export const inheritedNames: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

export const hasOwn = (object: object, key: PropertyKey) => Object.hasOwn(object, key);

export const getOwn = (object: object, key: string): unknown => (hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined);

/** Makes `key` an own property of `object` before it is read or written, when Object.prototype has it (@apollo/gateway's defineOwn). */
export function defineOwn(object: Record<string, unknown>, key: string): void {
  if (inheritedNames.has(key) && !hasOwn(object, key) && key in object) {
    Object.defineProperty(object, key, { configurable: true, enumerable: true, value: undefined, writable: true });
  }
}
