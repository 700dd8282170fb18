// Validates sandbox responses against the response schemas of Descript's published OpenAPI.
//
// Conversions (OpenAPI 3.0 dialect → JSON Schema that ajv understands):
//   - `$ref: #/components/schemas/X` points into one shared "components" schema registered with ajv;
//   - `nullable: true` becomes a `"null"` member of `type`;
//   - annotation-only OpenAPI keywords (discriminator, example, xml, externalDocs, x-*) are dropped;
//     `discriminator` is dropped because every oneOf here is already decided by an enum;
//   - OpenAPI's numeric formats (float, double, int32, int64) are registered as always-valid.
//
// Relaxations, each a documented live deviation (docs/upstream/descript-api.md), nothing else:
//   1. `job_id` is not `format: uuid`: live ids are prefixed strings. It is checked against the live
//      pattern instead (project-media-import-<uuid>, project-agent-edit-<project>-<uuid>,
//      project-media-publish-<project>-<uuid>), which is stricter than a bare string.
//   2. GET /status answers the live `{drive_id, drive_name, api_version}`, not the documented
//      `{status: "ok"}` of an endpoint the OpenAPI still marks "work in progress".
//   3. An error status an endpoint's entry does not list is accepted only where EXTRA_ERROR_STATUSES
//      names that (path, method, status), each with its reason; it is checked against the status's
//      shared `Error<status>` component, since every Descript error body is `{error, message}`. Any
//      other undocumented status fails.
// Extra job types (the live export/timeline, import/drive_media) need no relaxation: the sandbox
// only creates the three documented types.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const OPENAPI_PATH = path.resolve(repoRoot, "docs/upstream/descript-openapi.json");

type SchemaObject = { [key: string]: unknown };

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const LIVE_JOB_ID = {
  type: "string",
  pattern: `^(project-media-import-${UUID}|project-agent-edit-${UUID}-${UUID}|project-media-publish-${UUID}-${UUID})$`,
};
const LIVE_STATUS_BODY = {
  type: "object",
  required: ["drive_id", "drive_name", "api_version"],
  properties: {
    drive_id: { type: "string", format: "uuid" },
    drive_name: { type: "string" },
    api_version: { type: "string" },
  },
};
/** Relaxation 3: error statuses the sandbox (and so Jobdeck's proxy) answers beyond the OpenAPI. */
const EXTRA_ERROR_STATUSES: readonly { path: string; method: string; status: number; reason: string }[] = [
  { path: "/jobs/publish", method: "post", status: 404, reason: "a publish on an unknown project_id is refused as not found, like import and agent" },
  { path: "/status", method: "get", status: 429, reason: "every authenticated request counts against the rate limit, /status included" },
];
const OPENAPI_ONLY_KEYWORDS = new Set(["discriminator", "example", "examples", "xml", "externalDocs"]);

const openapi = JSON.parse(readFileSync(OPENAPI_PATH, "utf8")) as SchemaObject;
const ajv = new Ajv({ allErrors: true, strict: true });
// ajv-formats is CommonJS with a default export; under ESM interop either shape may arrive.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule);
addFormats(ajv);
for (const format of ["float", "double", "int32", "int64"]) ajv.addFormat(format, true);
const componentSchemas = readPath(openapi, ["components", "schemas"]) as SchemaObject;
ajv.addSchema({
  $id: "components",
  definitions: Object.fromEntries(Object.entries(componentSchemas).map(([name, schema]) => [name, toJsonSchema(schema)])),
});

const validators = new Map<string, ValidateFunction>();

/** Throws a readable error unless `body` matches the documented response for (path, method, status). */
export function assertMatchesContract(options: { path: string; method: string; status: number; body: unknown }): void {
  if (options.status === 204) return assertEmptyDocumentedAnswer(options);
  const validate = getValidator(options.path, options.method.toLowerCase(), options.status);
  if (!validate(options.body)) {
    throw new Error(
      `${options.method.toUpperCase()} ${options.path} ${options.status} breaks the OpenAPI contract: ` +
        `${ajv.errorsText(validate.errors)}\n${JSON.stringify(options.body, null, 2)}`,
    );
  }
}

/** The job object schema (what callbacks carry), with the same conversions and relaxations. */
export function assertJobMatchesContract(body: unknown): void {
  assertMatchesContract({ path: "/jobs/{job_id}", method: "get", status: 200, body });
}

function assertEmptyDocumentedAnswer(options: { path: string; method: string; body: unknown }): void {
  const documented = readPath(openapi, ["paths", options.path, options.method.toLowerCase(), "responses", "204"]);
  if (documented === undefined) fail(`The OpenAPI documents no 204 for ${options.method} ${options.path}`);
  if (options.body !== undefined && options.body !== "") fail(`${options.method} ${options.path} 204 must have no body`);
}

function getValidator(apiPath: string, method: string, status: number): ValidateFunction {
  const key = `${method} ${apiPath} ${status}`;
  const cached = validators.get(key);
  if (cached) return cached;
  const validate = ajv.compile(findResponseSchema(apiPath, method, status));
  validators.set(key, validate);
  return validate;
}

function findResponseSchema(apiPath: string, method: string, status: number): SchemaObject {
  if (apiPath === "/status" && status === 200) return LIVE_STATUS_BODY;
  const operation = readPath(openapi, ["paths", apiPath, method]);
  if (!isSchemaObject(operation)) throw new Error(`The OpenAPI has no ${method} ${apiPath}`);
  const responses = operation.responses as SchemaObject;
  const response = resolveResponse(responses[String(status)]);
  if (response === undefined) {
    const isWhitelisted = EXTRA_ERROR_STATUSES.some((extra) => extra.path === apiPath && extra.method === method && extra.status === status);
    const sharedError = readPath(openapi, ["components", "schemas", `Error${status}`]);
    if (isWhitelisted && isSchemaObject(sharedError)) return toJsonSchema(sharedError) as SchemaObject;
    return fail(`The OpenAPI documents no ${status} for ${method} ${apiPath}`);
  }
  const schema = readPath(response, ["content", "application/json", "schema"]);
  if (!isSchemaObject(schema)) return fail(`${method} ${apiPath} ${status} has no JSON schema`);
  return toJsonSchema(schema) as SchemaObject;
}

function resolveResponse(response: unknown): SchemaObject | undefined {
  if (!isSchemaObject(response)) return undefined;
  const ref = response.$ref;
  if (typeof ref !== "string") return response;
  return readPath(openapi, ref.replace(/^#\//, "").split("/")) as SchemaObject;
}

function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!isSchemaObject(node)) return node;
  const converted: SchemaObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (OPENAPI_ONLY_KEYWORDS.has(key) || key.startsWith("x-") || key === "nullable") continue;
    if (key === "$ref" && typeof value === "string") {
      converted.$ref = value.replace("#/components/schemas/", "components#/definitions/");
    } else if (key === "properties" && isSchemaObject(value)) {
      // Property names are data, not keywords: convert their schemas, keep every name.
      converted.properties = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => [name, name === "job_id" ? LIVE_JOB_ID : toJsonSchema(schema)]),
      );
    } else {
      converted[key] = toJsonSchema(value);
    }
  }
  if (node.nullable === true && typeof converted.type === "string") converted.type = [converted.type, "null"];
  return converted;
}

function readPath(root: unknown, segments: readonly string[]): unknown {
  return segments.reduce<unknown>((node, segment) => (isSchemaObject(node) ? node[segment] : undefined), root);
}

function isSchemaObject(value: unknown): value is SchemaObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fail(message: string): never {
  throw new Error(message);
}
