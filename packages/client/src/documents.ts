/**
 * A YAML file may hold several workflows as documents separated by `---` (a child and the
 * parent that runs it, say). Each is posted on its own; `line` places its problems in the file.
 */
import { parseAllDocuments } from "yaml";

export interface WorkflowDocument {
	text: string;
	/** Lines of the file before this document's text (add it to a line the server names). */
	lineOffset: number;
}

export function workflowDocuments(text: string): WorkflowDocument[] {
	let docs;
	try {
		docs = parseAllDocuments(text);
	} catch {
		return [{ text, lineOffset: 0 }];
	}
	// One document, or text that does not parse: the server sees the file as it is and says what is wrong.
	if (!Array.isArray(docs) || docs.length <= 1 || docs.some(d => d.errors.length)) return [{ text, lineOffset: 0 }];
	const pieces: WorkflowDocument[] = [];
	for (const [i, doc] of docs.entries()) {
		const start = text.lastIndexOf("\n", doc.range[0] - 1) + 1;
		const end = i + 1 < docs.length ? text.lastIndexOf("\n", docs[i + 1].range[0] - 1) + 1 : text.length;
		const piece = text.slice(start, end).replace(/^---[^\n]*\n/, "\n");
		if (!doc.contents) continue;
		pieces.push({ text: piece, lineOffset: text.slice(0, start).split("\n").length - 1 });
	}
	return pieces;
}
