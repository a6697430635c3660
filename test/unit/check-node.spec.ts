import { execFileSync } from "node:child_process";
import path from "node:path";

const { nodeVersionProblem } = require("../../bin/check-node.js") as { nodeVersionProblem(version: string, required: string): string | null };

describe("bin/check-node.js (before npm start, repl and migrate)", () => {
	it("says in one line that Node 22 is needed on an older Node", () => {
		const line = nodeVersionProblem("v20.20.2", ">=22");
		expect(line).toBe("CognitionOS needs Node.js 22 or newer and this is v20.20.2: switch (`nvm use` reads .nvmrc), then run `npm install` again.");
		expect(line).not.toContain("\n");
		expect(nodeVersionProblem("v22.0.0", ">=22")).toBeNull();
		expect(nodeVersionProblem("v24.1.0", ">=22")).toBeNull();
	});

	it("passes on this Node, and .nvmrc names the engines' major", () => {
		const root = path.resolve(__dirname, "../..");
		expect(execFileSync(process.execPath, [path.join(root, "bin/check-node.js")]).toString()).toBe("");
		const engines = (require(path.join(root, "package.json")) as { engines: { node: string } }).engines.node;
		expect(require("node:fs").readFileSync(path.join(root, ".nvmrc"), "utf8").trim()).toBe(/\d+/.exec(engines)![0]);
	});
});
