// The one set of readers over parsed, untyped JSON. Every record kind reads its fields
// through these: a dump holds whatever its producer wrote (nulls, numbers as strings,
// arrays where objects belong), so no reader trusts a shape it has not checked.
import type { JsonPath } from './types';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value if it is a string (empty included), else undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value at `path` inside a parsed value, or undefined when any step is missing or of the wrong type. */
export function at(value: unknown, path: JsonPath): unknown {
  let v = value;
  for (const seg of path) {
    if (typeof seg === 'number' ? !Array.isArray(v) : !isObject(v)) return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** A non-empty string at the path (an ID, a name), or undefined. */
export function idAt(value: unknown, path: JsonPath): string | undefined {
  const s = at(value, path);
  return typeof s === 'string' && s.length > 0 ? s : undefined;
}

/** A non-empty string property of an object (idAt for a path of one key, without the walk). */
export function idIn(object: JsonObject, key: string): string | undefined {
  const s = object[key];
  return typeof s === 'string' && s.length > 0 ? s : undefined;
}

/** The object at the path, or undefined. */
export function objectAt(value: unknown, path: JsonPath): JsonObject | undefined {
  const v = at(value, path);
  return isObject(v) ? v : undefined;
}

/** A finite number at the path, or undefined. */
export function numberAt(value: unknown, path: JsonPath): number | undefined {
  const v = at(value, path);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The objects of the array at the path (other items skipped), or an empty list. */
export function objectsAt(value: unknown, path: JsonPath): JsonObject[] {
  const v = at(value, path);
  return Array.isArray(v) ? v.filter(isObject) : [];
}
