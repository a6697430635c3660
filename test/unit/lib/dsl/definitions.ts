import fs from "node:fs";
import path from "node:path";
import { checkWorkflow } from "../../../../lib/dsl";
import type { FieldProblem } from "../../../../lib/errors";
import { AppError } from "../../../../lib/errors";

/** The product's YAML example (a copy of shared/spec/example-deploy-web-app.yaml). */
export const DEPLOY_WEB_APP_YAML = fs.readFileSync(path.join(__dirname, "../../../fixtures/workflows/deploy-web-app.yaml"), "utf8");

/** A minimal valid JSON definition with the given steps (DSL spelling) and top-level fields. */
export function workflow(steps: unknown[], fields: Record<string, unknown> = {}): Record<string, unknown> {
	return { workflow_id: "wf", version: "1.0.0", name: "Test", steps, ...fields };
}

export const delayStep = (id: string, depends_on: string[] = [], extra: Record<string, unknown> = {}) => ({
	id,
	type: "delay",
	params: { duration: "1s" },
	depends_on,
	...extra
});

export function problemsOf(document: unknown): FieldProblem[] {
	return checkWorkflow(document).problems;
}

/** The problem at a path, failing the test with all problems when there is none. */
export function problemAt(document: unknown, path: string): FieldProblem {
	const problems = problemsOf(document);
	const found = problems.find(p => p.path === path);
	if (!found) throw new Error(`no problem at ${path}; problems: ${JSON.stringify(problems, null, 1)}`);
	return found;
}

/** The AppError a call throws. */
export function thrown(fn: () => unknown): AppError {
	try {
		fn();
	} catch (err) {
		if (err instanceof AppError) return err;
		throw err;
	}
	throw new Error("expected an AppError, nothing was thrown");
}
