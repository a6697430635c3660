import { parseFrame, parseRequest } from "../../../../lib/realtime/protocol";

describe("real-time protocol requests", () => {
	it("accepts the summary's actions", () => {
		expect(parseFrame('{"action":"ping"}')).toEqual({ ok: true, request: { action: "ping" } });
		expect(parseFrame('{"action":"subscribe","workflow_id":"my-workflow"}')).toEqual({ ok: true, request: { action: "subscribe", workflow_id: "my-workflow" } });
		expect(parseRequest({ action: "subscribe", execution_id: "e1", since: 42, request_id: "r" })).toEqual({ ok: true, request: { action: "subscribe", execution_id: "e1", since: 42, request_id: "r" } });
		expect(parseRequest({ action: "get_stats" })).toEqual({ ok: true, request: { action: "get_stats" } });
	});

	it.each([
		["not json", "$"],
		["[1]", "$"],
		['{"action":"dance"}', "action"],
		['{"action":"subscribe"}', "workflow_id"],
		['{"action":"subscribe","workflow_id":"a","execution_id":"b"}', "execution_id"],
		['{"action":"subscribe","workflow_id":""}', "workflow_id"],
		['{"action":"subscribe","execution_id":7}', "execution_id"],
		['{"action":"subscribe","workflow_id":"a","since":1}', "since"],
		['{"action":"unsubscribe","execution_id":"a","since":1}', "since"],
		['{"action":"subscribe","execution_id":"a","since":-1}', "since"],
		['{"action":"subscribe","execution_id":"a","since":1.5}', "since"],
		['{"action":"subscribe","execution_id":"a","owner_id":"u"}', "owner_id"],
		['{"action":"ping","request_id":5}', "request_id"]
	])("refuses %s, naming %s", (frame, field) => {
		const parsed = parseFrame(frame);
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) expect(parsed.error).toMatchObject({ error: "validation_error", field });
	});
});
