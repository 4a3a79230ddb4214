/**
 * JSON Schema validation (ajv) of every file the review writes. The same schemas are declared in
 * package.json `contributes.jsonValidation`, so hand edits are checked in the editor too.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import decisionsSchema from '../../schemas/decisions.schema.json';
import duplicatesSchema from '../../schemas/duplicates.schema.json';
import resolutionsSchema from '../../schemas/resolutions.schema.json';
import reviewSchema from '../../schemas/review.schema.json';
import fulltextSchema from '../../schemas/fulltext.schema.json';

export type SchemaName = 'decisions' | 'resolutions' | 'review' | 'fulltext' | 'duplicates';

let ajv: Ajv | undefined;
const cache = new Map<string, ValidateFunction>();

function instance(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ allErrors: false, strictTypes: false });
    ajv.addSchema(decisionsSchema, 'decisions');
    ajv.addSchema(resolutionsSchema, 'resolutions');
    ajv.addSchema(reviewSchema, 'review');
    ajv.addSchema(fulltextSchema, 'fulltext');
    ajv.addSchema(duplicatesSchema, 'duplicates');
  }
  return ajv;
}

/** The validator of a whole file, or (with `definition`) of one of its definitions, e.g. one decision. */
export function validator(name: SchemaName, definition?: string): ValidateFunction {
  const ref = definition ? `${name}#/definitions/${definition}` : name;
  let validate = cache.get(ref);
  if (!validate) {
    validate = instance().getSchema(ref);
    if (!validate) throw new Error(`no schema ${ref}`);
    cache.set(ref, validate);
  }
  return validate;
}

/** One readable sentence for the first ajv error, e.g. "/decisions/3/verdict must be equal to one of …". */
export function describeError(errors: ErrorObject[] | null | undefined): string {
  const error = errors?.[0];
  if (!error) return 'does not match its schema';
  const where = error.instancePath || '(top level)';
  let message = error.message ?? 'is invalid';
  if (error.keyword === 'enum' && Array.isArray(error.params.allowedValues)) {
    message += `: ${error.params.allowedValues.map((value: unknown) => JSON.stringify(value)).join(', ')}`;
  } else if (error.keyword === 'additionalProperties') {
    message += `: ${JSON.stringify(error.params.additionalProperty)}`;
  } else if (error.keyword === 'const') {
    message += `: ${JSON.stringify(error.params.allowedValue)}`;
  }
  return `${where} ${message}`;
}
