/**
 * `push FILE...`: stores each file's workflow version (each document of a YAML file
 * that holds several, in order). Problems print as
 * `FILE:LINE:COL message` (exit 1); a version identical to the stored one is a no-op.
 */
import { readFileSync } from "node:fs";
import { workflowDocuments } from "../documents";
import { ApiError } from "../errors";
import { sourcePositions } from "../source-positions";
import { Cli } from "./context";

interface Problem {
	line: number;
	column: number;
	message: string;
}

interface Outcome {
	file: string;
	result: "created" | "unchanged" | "invalid";
	workflow_id?: string;
	version?: string;
	problems?: Problem[];
}

const isJsonFile = (file: string) => file.toLowerCase().endsWith(".json");

/** The API's problems placed in the file: its own line and column (malformed text) or the path's. */
function place(text: string, err: ApiError): Problem[] {
	if (err.status === 409) {
		const at = sourcePositions(text, ["version"]).get("version") ?? { line: 1, column: 1 };
		return [{ ...at, message: `${err.message}: a stored version never changes, give this one a new version` }];
	}
	const problems = err.problems;
	if (!problems.length) return [{ line: 1, column: 1, message: `${err.message} (${err.error})` }];
	const positions = sourcePositions(
		text,
		problems.filter(p => p.line == null).map(p => p.path)
	);
	return problems.map(p => {
		// A malformed text's problem names its place in the message ("line 2, column 13: …") or in fields.
		const said = /^line (\d+), column (\d+): (.*)$/s.exec(p.message);
		if (said) return { line: Number(said[1]), column: Number(said[2]), message: said[3] };
		const at = p.line != null ? { line: p.line, column: p.column ?? 1 } : (positions.get(p.path) ?? { line: 1, column: 1 });
		return { ...at, message: p.path && p.path !== "body" ? `${p.path}: ${p.message}` : p.message };
	});
}

export async function push(cli: Cli, files: string[]): Promise<number> {
	const client = cli.signedInClient();
	const outcomes: Outcome[] = [];
	for (const file of files) {
		let text: string;
		try {
			text = readFileSync(file, "utf8");
		} catch (err) {
			const code = (err as NodeJS.ErrnoException).code;
			outcomes.push({ file, result: "invalid", problems: [{ line: 1, column: 1, message: code === "ENOENT" ? "no such file" : (err as Error).message }] });
			continue;
		}
		const documents = isJsonFile(file) ? [{ text, lineOffset: 0 }] : workflowDocuments(text);
		for (const doc of documents) {
			try {
				const { workflow, created } = await client.workflows.create(doc.text, { contentType: isJsonFile(file) ? "application/json" : "application/yaml" });
				outcomes.push({ file, result: created ? "created" : "unchanged", workflow_id: workflow.workflow_id, version: workflow.version });
			} catch (err) {
				// Refused definitions are the file's problems; anything else (auth, connection) ends the command.
				if (!(err instanceof ApiError) || ![400, 409, 413, 415, 422].includes(err.status)) throw err;
				outcomes.push({ file, result: "invalid", problems: place(doc.text, err).map(p => ({ ...p, line: p.line + doc.lineOffset })) });
			}
		}
	}
	if (cli.json) cli.printJson(outcomes);
	else {
		for (const o of outcomes) {
			if (o.result === "invalid") for (const p of o.problems ?? []) cli.err(`${o.file}:${p.line}:${p.column} ${p.message}`);
			else cli.out(`${o.file}: ${o.workflow_id}@${o.version} ${o.result}`);
		}
	}
	return outcomes.some(o => o.result === "invalid") ? 1 : 0;
}
