import { ConnectionState, describeConnectionError } from "../../../lib/connection-state";

function recorder() {
	const lines: { level: string; fields: object; msg: string }[] = [];
	return {
		lines,
		log: {
			warn: (fields: object, msg: string) => lines.push({ level: "warn", fields, msg }),
			info: (fields: object, msg: string) => lines.push({ level: "info", fields, msg })
		}
	};
}

describe("ConnectionState", () => {
	it("logs an outage once and its end once, however often the client reports it", () => {
		let now = 1000;
		const { lines, log } = recorder();
		const state = new ConnectionState("Redis", log, () => now);
		state.up();
		expect(lines).toEqual([]);
		now = 2000;
		for (let i = 0; i < 30; i++) state.down(Object.assign(new AggregateError([new Error("connect ECONNREFUSED 127.0.0.1:6379")]), { code: "ECONNREFUSED" }));
		expect(state.isUp).toBe(false);
		expect(state.downSince).toBe(2000);
		expect(state.reconnectedAt).toBeNull();
		now = 5000;
		state.up();
		expect(state.reconnectedAt).toBe(5000);
		state.up();
		expect(lines).toEqual([
			{ level: "warn", fields: { dependency: "Redis", err: { message: "connect ECONNREFUSED 127.0.0.1:6379", code: "ECONNREFUSED" } }, msg: "Connection to Redis lost; retrying" },
			{ level: "info", fields: { dependency: "Redis", down_ms: 3000 }, msg: "Connection to Redis is back" }
		]);
	});

	it("says a first connection failed, and is not up before its first connection", () => {
		const { lines, log } = recorder();
		const state = new ConnectionState("NATS", log);
		expect(state.isUp).toBe(false);
		state.down(new Error("refused"));
		expect(lines.map(l => l.msg)).toEqual(["Cannot connect to NATS; retrying"]);
	});

	it("tells listeners each time it goes down, until they stop listening", () => {
		const state = new ConnectionState("NATS", recorder().log);
		state.up();
		let heard = 0;
		const off = state.onDown(() => heard++);
		state.down();
		state.up();
		state.down();
		off();
		state.up();
		state.down();
		expect(heard).toBe(2);
	});

	it("describes an error without a message by what it wraps", () => {
		expect(describeConnectionError(new AggregateError([new Error("a"), new Error("b")]))).toEqual({ message: "a; b" });
		expect(describeConnectionError(Object.assign(new Error("x"), { code: "EPIPE" }))).toEqual({ message: "x", code: "EPIPE" });
	});
});
