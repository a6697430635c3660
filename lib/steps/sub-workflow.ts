import { ID_PATTERN, LIMITS, SEMVER_PATTERN } from "../dsl/model";
import { StepFailure } from "./failure";
import { templated } from "./schema";
import type { StepTypeDefinition } from "./types";

/** `{workflow_id, version?, inputs?}`: without a version, the newest active one runs. */
export const subWorkflow: StepTypeDefinition = {
	type: "sub_workflow",
	description: "Runs another workflow with the given inputs and waits for it to finish.",
	paramsSchema: {
		type: "object",
		required: ["workflow_id"],
		additionalProperties: false,
		properties: {
			workflow_id: { type: "string", pattern: ID_PATTERN.source, maxLength: LIMITS.maxIdLength, description: "a workflow id (letters, digits, _ and -)" },
			version: { type: "string", pattern: SEMVER_PATTERN.source, description: 'a semantic version such as "1.0.0"' },
			inputs: templated({ type: "object" }, "an object of input values")
		}
	},
	check(params, context) {
		// Mutual recursion shows only at run time; the engine bounds nesting depth for that.
		if (params.workflow_id === context.workflowId) return [{ path: `${context.path}.workflow_id`, message: "a workflow cannot run itself" }];
		return [];
	}
};

subWorkflow.execute = async (params, ctx) => {
	const inputs = params.inputs ?? {};
	if (typeof inputs !== "object" || inputs === null || Array.isArray(inputs))
		throw new StepFailure("inputs must resolve to an object", "invalid_params", true);
	// One child per attempt: a redelivered attempt finds the child it already started.
	const child = await ctx.services.startSubWorkflow(
		{ workflow_id: String(params.workflow_id), version: typeof params.version === "string" ? params.version : null, inputs: inputs as Record<string, unknown> },
		`sub:${ctx.idempotencyKey}`
	);
	return { kind: "wait", waitingFor: "sub_workflow", dueAt: null, childExecutionId: child.execution_id };
};
