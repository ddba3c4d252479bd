/**
 * Copying keys that come from log lines into new objects. JSON.parse makes a
 * key named `__proto__` an ordinary own property, but plain assignment
 * (`out[k] = v`) takes it as the object's prototype: the key would vanish
 * from what we store, and a line could swap the prototype of an object we
 * build. Every copy of input keys goes through `setOwn`.
 */
export function setOwn<T>(o: { [k: string]: T }, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}
