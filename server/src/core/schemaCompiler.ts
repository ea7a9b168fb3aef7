// The ajv instance our schemas are compiled with, for the tests that compile them at run time.
// The shipped code never compiles a schema: esbuild.mjs compiles them at build time with the
// same options, and the bundles hold only that generated code, not ajv's compiler (~210 KB
// that every process used to load, the CLI and the stream workers included).
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { formats } from './dateTimeFormat';

/**
 * Non-standard annotation keywords our schemas carry: for hover (as VS Code's JSON service
 * reads them), and `enumsAsOf`, the date the enum lists were read from the data model pages.
 * esbuild.mjs registers the same list for the build-time validators.
 */
export const ANNOTATION_KEYWORDS = ['markdownDescription', 'markdownEnumDescriptions', 'enumsAsOf'];

export function createAjv(): Ajv {
  const ajv = new Ajv({ strict: true, allErrors: true, messages: true });
  addFormats(ajv);
  ajv.addFormat('date-time', formats['date-time']);
  ajv.addVocabulary(ANNOTATION_KEYWORDS);
  return ajv;
}
