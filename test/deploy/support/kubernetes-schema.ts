/**
 * Offline validation of Kubernetes objects, as kubeconform -strict would do it, from npm packages only.
 *
 * Two passes over the same objects:
 * - kubernetes-models' validators, generated from the OpenAPI schema of a Kubernetes release
 *   (required fields, types, enums, int-or-string, quantities);
 * - TypeScript's excess-property check against the same package's interfaces, which refuses fields
 *   the API does not define (a misspelt `livenesProbe` is silently dropped by a real API server).
 * An object whose apiVersion/kind has no schema is an error, not a skip.
 */
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { ROOT } from './tidings-facts.js';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface Located {
  /** Where the object came from, for messages: a file path, with a document index when there are several. */
  source: string;
  object: KubeObject;
}

type ModelClass = new (data: unknown) => { validate(): void };

/** `apps/v1` → `apps/v1`, `v1` → `v1`, `policy/v1` → `policy/v1`: kubernetes-models mirrors API groups. */
function modelModule(apiVersion: string): string {
  return `kubernetes-models/${apiVersion}`;
}

async function modelClass(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  try {
    const mod = (await import(`${modelModule(apiVersion)}/${kind}`)) as Record<string, unknown>;
    return mod[kind] as ModelClass | undefined;
  } catch {
    return undefined;
  }
}

/** Schema problems of each object, from the validators generated from Kubernetes' OpenAPI schema. */
export async function schemaProblems(objects: readonly Located[]): Promise<string[]> {
  const problems: string[] = [];
  for (const { source, object } of objects) {
    const where = `${source} (${object.kind} ${object.metadata?.name ?? '?'})`;
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
      problems.push(`${where}: apiVersion and kind are required`);
      continue;
    }
    const Model = await modelClass(object.apiVersion, object.kind);
    if (!Model) {
      problems.push(`${where}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (err) {
      problems.push(`${where}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return problems;
}

/**
 * Unknown fields and type mismatches, found by type-checking each object as a literal of its
 * interface in one in-memory TypeScript program (about a second for all of them).
 */
export function strictFieldProblems(objects: readonly Located[]): string[] {
  const file = join(ROOT, 'test/deploy/__manifests__.ts');
  const lines: string[] = [];
  objects.forEach(({ object }, i) => {
    lines.push(
      `export const object${i}: import('${modelModule(object.apiVersion)}/${object.kind}').I${object.kind} = ${JSON.stringify(object)};`,
    );
  });
  const text = lines.join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts'],
    types: [],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, text, language) : read(name, language, ...rest);
  const exists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || exists(name);
  const program = ts.createProgram({ rootNames: [file], options, host });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (d.file?.fileName !== file || d.start === undefined) return `${dirname(d.file?.fileName ?? '?')}: ${message}`;
    // One object per line, so the line of the diagnostic names the object.
    const located = objects[d.file.getLineAndCharacterOfPosition(d.start).line];
    return `${located?.source} (${located?.object.kind} ${located?.object.metadata?.name ?? '?'}): ${message}`;
  });
}
