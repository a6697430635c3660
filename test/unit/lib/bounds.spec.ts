import { keyScopeFor, scopeAllows, type Principal } from "../../../lib/auth/principal";
import { cronProblem } from "../../../lib/dsl/cron";
import { replaceTemplates, resolveTemplates, scanTemplates, TemplateTooLarge } from "../../../lib/dsl/templates";
import { parseDuration } from "../../../lib/duration";
import { LabelValues } from "../../../lib/observability/labels";
import { RequestBudget } from "../../../lib/realtime/rate-limit";
import { requestShapeProblem } from "../../../lib/request-shape";
import { TtlCache } from "../../../lib/ttl-cache";

describe("templates: a linear scan", () => {
	it("finds what the old regular expression found", () => {
		expect(scanTemplates("a ${{inputs.x}} b ${{ steps.s-1.output.items[0] }} ${{ nope! }}").refs.map(r => r.path)).toEqual([
			["inputs", "x"],
			["steps", "s-1", "output", "items", "0"]
		]);
		expect(scanTemplates("${{ inputs.x } }}").errors).toEqual(["has a ${{ without its closing }}"]);
		expect(replaceTemplates("<${{ inputs.a }}|${{inputs.b}}>", (_, p) => p!.join("."))).toBe("<inputs.a|inputs.b>");
	});

	it("scans hostile text in linear time (the regular expression took seconds on a few kilobytes)", () => {
		// Two megabytes each; quadratic scanning would take hours.
		expect(scanTemplates("${{ ".repeat(500_000)).errors).toEqual(["has a ${{ without its closing }}"]);
		expect(scanTemplates(`\${{${" ".repeat(2_000_000)}}`).refs).toEqual([]);
	});

	it("bounds the text interpolation writes", () => {
		const scope = { inputs: { big: "x".repeat(1000) }, steps: {} };
		expect(resolveTemplates({ a: "${{ inputs.big }}", b: "${{ inputs.big }}" }, scope, 1500)).toEqual({ a: scope.inputs.big, b: scope.inputs.big });
		expect(() => resolveTemplates({ a: "<${{ inputs.big }}>", b: "<${{ inputs.big }}>" }, scope, 1500)).toThrow(TemplateTooLarge);
	});
});

describe("durations and schedules", () => {
	it("reads only durations a timer can express, in linear time", () => {
		expect([parseDuration("30s"), parseDuration(" 5m "), parseDuration("1.5h")]).toEqual([30_000, 300_000, 5_400_000]);
		expect(parseDuration("99999999999999999999d")).toBeNull();
		expect(parseDuration(`1${" ".repeat(100_000)}x`)).toBeNull();
	});

	it("refuses a schedule that never fires", () => {
		expect(cronProblem("0 0 30 2 *")).toMatch(/never fires/);
		expect(cronProblem("0 0 29 2 *")).toBeNull();
	});
});

describe("request shapes", () => {
	it("names the first field too deep or holding a NUL", () => {
		let deep: unknown = 1;
		for (let i = 0; i < 100; i++) deep = { d: deep };
		expect(requestShapeProblem({ inputs: { x: deep } }, 64)).toEqual({ path: `inputs.x${".d".repeat(62)}`, message: "nests deeper than 64 levels" });
		expect(requestShapeProblem({ email: "a\u0000b" }, 64)).toEqual({ path: "email", message: "must not contain NUL characters" });
		expect(requestShapeProblem({ list: [{ ok: "fine" }] }, 64)).toBeNull();
	});
});

describe("API key scopes", () => {
	const key = (scopes: Principal["scopes"]): Principal => ({ id: "u", email: "u@x.io", roles: ["user"], via: "api_key", scopes });
	it("needs write for anything but a read", () => {
		expect(keyScopeFor("read", "DELETE")).toBe("write");
		expect(keyScopeFor("read", "GET")).toBe("read");
		expect(keyScopeFor("admin", "POST")).toBe("admin");
		expect(scopeAllows(key(["read"]), keyScopeFor("read", "POST"))).toBe(false);
		expect(scopeAllows(key(["write"]), keyScopeFor("read", "POST"))).toBe(true);
		expect(scopeAllows(key(null), "admin")).toBe(true);
	});
});

describe("bounded helpers", () => {
	it("gives a connection its burst, then refuses, then closes one that keeps on", () => {
		let now = 0;
		const budget = new RequestBudget(10, 20, 5, () => now);
		const verdicts = Array.from({ length: 27 }, () => budget.take().verdict);
		expect(verdicts.slice(0, 20).every(v => v === "ok")).toBe(true);
		expect(verdicts.slice(20, 25)).toEqual(["refuse", "refuse", "refuse", "refuse", "refuse"]);
		expect(verdicts[25]).toBe("close");
		now += 1000;
		expect(budget.take().verdict).toBe("ok");
	});

	it("keeps label values bounded", () => {
		const off = new LabelValues(0);
		expect([off.of("a"), off.of("b")]).toEqual(["all", "all"]);
		const two = new LabelValues(2, new Set(["known"]));
		expect(["a", "b", "c", "a", "known"].map(v => two.of(v))).toEqual(["a", "b", "other", "a", "known"]);
	});

	it("evicts the least recently used entries past the cache's weight", () => {
		const cache = new TtlCache<string>(100, () => 0, 10);
		cache.set("a", "A", Infinity, 4);
		cache.set("b", "B", Infinity, 4);
		expect(cache.get("a")).toBe("A");
		cache.set("c", "C", Infinity, 4);
		expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual(["A", undefined, "C"]);
		expect(cache.totalWeight).toBe(8);
		cache.set("huge", "H", Infinity, 11);
		expect(cache.get("huge")).toBeUndefined();
	});
});
