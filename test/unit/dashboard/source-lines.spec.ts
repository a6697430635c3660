import { linesOfPaths, pathSegments, placeProblems } from "../../../public/dashboard/src/source-lines";

const YAML_TEXT = `workflow:
  id: demo
  version: "1.0.0"
  steps:
    - id: a
      type: transform
      params:
        expression: "1"
    - id: b
      type: git_clone
      depends_on: [a, nowhere]
`;

describe("dashboard source lines", () => {
	it("splits a problem path into keys and indexes", () => {
		expect(pathSegments("steps[2].depends_on[0]")).toEqual(["steps", 2, "depends_on", 0]);
		expect(pathSegments("inputs.url")).toEqual(["inputs", "url"]);
	});

	it("finds the line of a path in the YAML DSL, below its workflow root", () => {
		const lines = linesOfPaths(YAML_TEXT, ["steps[1].type", "steps[1].depends_on[1]", "steps[0].params.expression", "version"]);
		expect(Object.fromEntries(lines)).toEqual({ "steps[1].type": 10, "steps[1].depends_on[1]": 11, "steps[0].params.expression": 8, version: 3 });
	});

	it("points a missing field at its parent", () => {
		expect(linesOfPaths(YAML_TEXT, ["steps[0].params.url", "steps[7]"]).get("steps[0].params.url")).toBe(7);
	});

	it("finds lines in JSON text too", () => {
		const json = JSON.stringify({ workflow_id: "x", version: "1.0.0", steps: [{ step_id: "a", inputs: { url: 5 } }] }, null, 2);
		const line = linesOfPaths(json, ["steps[0].inputs.url"]).get("steps[0].inputs.url")!;
		expect(json.split("\n")[line - 1]).toContain('"url": 5');
	});

	it("keeps the line the API gave (malformed text) and gives none for text that does not parse", () => {
		expect(placeProblems("a: [", [{ path: "body", message: "bad", line: 1, column: 5 }])).toEqual([{ path: "body", message: "bad", line: 1, column: 5 }]);
		expect(placeProblems("a: [", [{ path: "steps", message: "x" }])[0].line).toBeUndefined();
	});
});
