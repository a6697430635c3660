"use strict";
/**
 * The client's types, generated from the API's OpenAPI document with openapi-typescript.
 * One function, used by `npm run client:types` (which writes the file) and by the test
 * that fails when the committed file no longer matches the served document.
 */
const path = require("node:path");
const { default: openapiTS, astToString } = require("openapi-typescript");

const TYPES_FILE = path.join(__dirname, "../src/generated/api.ts");
const HEADER = [
	"/**",
	" * Generated from the served OpenAPI document (GET /openapi.json) by openapi-typescript.",
	" * Do not edit: run `npm run client:types` after changing a route.",
	" */",
	""
].join("\n");

/** TypeScript text for `document` (an OpenAPI 3.1 object). */
async function typesFromDocument(document) {
	// The document's info (version, description) is not part of the types; a fixed one keeps the text stable.
	const ast = await openapiTS({ ...document, info: { title: "CognitionOS API", version: "0" } }, { alphabetize: true, emptyObjectsUnknown: true });
	return HEADER + astToString(ast);
}

module.exports = { TYPES_FILE, typesFromDocument };
