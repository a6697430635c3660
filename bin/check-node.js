#!/usr/bin/env node
"use strict";
/**
 * Runs before `npm start`, `npm run repl` and `npm run migrate` (their pre-scripts): on a
 * Node.js older than package.json's engines it stops with one line that says so. Plain
 * JavaScript that any Node runs, so that it works before anything is built.
 */
const { readFileSync } = require("node:fs");
const path = require("node:path");

/** The line to print when `version` (process.version) is older than `required` (engines.node, ">=22"), else null. */
function nodeVersionProblem(version, required) {
	const need = Number(/\d+/.exec(required)?.[0] ?? 0);
	const major = Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);
	if (major >= need) return null;
	return `CognitionOS needs Node.js ${need} or newer and this is ${version}: switch (\`nvm use\` reads .nvmrc), then run \`npm install\` again.`;
}

module.exports = { nodeVersionProblem };

if (require.main === module) {
	const { engines } = JSON.parse(readFileSync(path.join(__dirname, "..", "package.json"), "utf8"));
	const problem = nodeVersionProblem(process.version, engines.node);
	if (problem) {
		process.stderr.write(`${problem}\n`);
		process.exit(1);
	}
}
