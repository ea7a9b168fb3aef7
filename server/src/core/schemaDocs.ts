// Reads documentation out of the bundled schemas for hover: the `markdownDescription`
// (or `description`) of the property at a path, and `markdownEnumDescriptions[i]` for an
// enum value, following $ref, items and the branches of anyOf/oneOf/allOf.
import type { JsonPath, RecordKind } from './types';
import { schemas } from './schema';

type SchemaNode = Record<string, unknown>;

function resolveRef(root: SchemaNode, node: SchemaNode): SchemaNode {
  let n = node;
  for (let guard = 0; guard < 16 && typeof n.$ref === 'string'; guard++) {
    const ref = n.$ref;
    if (!ref.startsWith('#/')) break;
    let target: unknown = root;
    for (const seg of ref.slice(2).split('/')) target = (target as SchemaNode | undefined)?.[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (!target || typeof target !== 'object') break;
    n = { ...(target as SchemaNode), ...Object.fromEntries(Object.entries(n).filter(([k]) => k !== '$ref')) };
  }
  return n;
}

function branches(node: SchemaNode): SchemaNode[] {
  const out: SchemaNode[] = [];
  for (const k of ['anyOf', 'oneOf', 'allOf']) if (Array.isArray(node[k])) out.push(...(node[k] as SchemaNode[]));
  return out;
}

function child(root: SchemaNode, node: SchemaNode, seg: string | number): SchemaNode | undefined {
  const n = resolveRef(root, node);
  if (typeof seg === 'number') {
    if (n.items && typeof n.items === 'object' && !Array.isArray(n.items)) return resolveRef(root, n.items as SchemaNode);
  } else {
    const props = n.properties as Record<string, SchemaNode> | undefined;
    if (props && props[seg]) return resolveRef(root, props[seg]);
    // PascalCase contact event detail (as some AWS doc samples print it) documents like camelCase.
    const camel = seg.charAt(0).toLowerCase() + seg.slice(1);
    if (props && camel !== seg && props[camel] && typeof props[camel] === 'object') return resolveRef(root, props[camel]);
    const extra = n.additionalProperties;
    if (extra && typeof extra === 'object' && !props?.[seg]) {
      const found = resolveRef(root, extra as SchemaNode);
      if (Object.keys(found).length) return found;
    }
  }
  for (const b of branches(n)) {
    const found = child(root, resolveRef(root, b), seg);
    if (found) return found;
  }
  return undefined;
}

export function schemaAt(kind: RecordKind, path: JsonPath): SchemaNode | undefined {
  if (kind === 'unknown') return undefined;
  const root = schemas[kind] as SchemaNode;
  let node: SchemaNode | undefined = root;
  for (const seg of path) {
    node = child(root, node, seg);
    if (!node) return undefined;
  }
  return resolveRef(root, node);
}

function collect<T>(root: SchemaNode, node: SchemaNode, pick: (n: SchemaNode) => T | undefined): T | undefined {
  const own = pick(node);
  if (own !== undefined) return own;
  for (const b of branches(node)) {
    const found = collect(root, resolveRef(root, b), pick);
    if (found !== undefined) return found;
  }
  return undefined;
}

export interface FieldDoc {
  title?: string;
  markdown?: string;
  /** Documentation of the value itself, when it is one of the enum's values. */
  valueMarkdown?: string;
}

export function fieldDoc(kind: RecordKind, path: JsonPath, value?: unknown): FieldDoc | undefined {
  const node = schemaAt(kind, path);
  if (!node) return undefined;
  const root = schemas[kind as 'agentEvent'] as SchemaNode;
  const title = collect(root, node, (n) => (typeof n.title === 'string' ? n.title : undefined));
  const markdown = collect(root, node, (n) =>
    typeof n.markdownDescription === 'string' ? n.markdownDescription : typeof n.description === 'string' ? n.description : undefined,
  );
  let valueMarkdown: string | undefined;
  if (value !== undefined) {
    valueMarkdown = collect(root, node, (n) => {
      if (!Array.isArray(n.enum)) return undefined;
      const i = n.enum.indexOf(value);
      if (i < 0) return undefined;
      const docs = (n.markdownEnumDescriptions ?? n.enumDescriptions) as string[] | undefined;
      return docs?.[i];
    });
  }
  if (!title && !markdown && !valueMarkdown) return undefined;
  return { title, markdown, valueMarkdown };
}
