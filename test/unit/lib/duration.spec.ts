import { getEventListeners } from "node:events";
import { deadline, formatDuration, MAX_TIMER_MS, parseDuration } from "../../../lib/duration";

describe("durations", () => {
	it.each([
		["500ms", 500],
		["30s", 30_000],
		["5m", 300_000],
		["1h", 3_600_000],
		["1.5s", 1500],
		["120", 120_000],
		[45, 45_000]
	])("parses %p", (input, ms) => expect(parseDuration(input)).toBe(ms));

	it.each(["", "5 minutes", "-1s", "1w", null, {}, -3])("refuses %p", input => expect(parseDuration(input)).toBeNull());

	it("formats exactly", () => {
		expect(formatDuration(120_000)).toBe("2m");
		expect(formatDuration(1500)).toBe("1500ms");
		expect(formatDuration(30_000)).toBe("30s");
	});
});

describe("deadline", () => {
	beforeEach(() => jest.useFakeTimers());
	afterEach(() => jest.useRealTimers());

	it("aborts with a TimeoutError when its time has passed, then holds nothing", () => {
		const parent = new AbortController();
		const due = deadline(1000, parent.signal);
		jest.advanceTimersByTime(999);
		expect(due.signal.aborted).toBe(false);
		jest.advanceTimersByTime(1);
		expect(due.signal.aborted).toBe(true);
		expect((due.signal.reason as Error).name).toBe("TimeoutError");
		expect(getEventListeners(parent.signal, "abort")).toHaveLength(0);
		expect(jest.getTimerCount()).toBe(0);
	});

	it("aborts with the parent's reason, and stops its timer", () => {
		const parent = new AbortController();
		const due = deadline(60_000, parent.signal);
		parent.abort(new Error("cancelled"));
		expect(due.signal.reason).toEqual(new Error("cancelled"));
		expect(jest.getTimerCount()).toBe(0);
	});

	// AbortSignal.any([parent, AbortSignal.timeout(ms)]) stays in memory until ms pass, however early the work ended.
	it("lets go of its timer and of the parent when cleared before its time", () => {
		const parent = new AbortController();
		const due = deadline(300_000, parent.signal);
		expect(getEventListeners(parent.signal, "abort")).toHaveLength(1);
		expect(jest.getTimerCount()).toBe(1);
		due.clear();
		expect(getEventListeners(parent.signal, "abort")).toHaveLength(0);
		expect(jest.getTimerCount()).toBe(0);
		parent.abort();
		expect(due.signal.aborted).toBe(false);
	});

	it("waits longer than one Node timer can, in pieces", () => {
		const due = deadline(MAX_TIMER_MS + 5000);
		jest.advanceTimersByTime(MAX_TIMER_MS);
		expect(due.signal.aborted).toBe(false);
		expect(jest.getTimerCount()).toBe(1);
		jest.advanceTimersByTime(5000);
		expect(due.signal.aborted).toBe(true);
	});

	it("is aborted at once under a parent that already is", () => {
		const parent = new AbortController();
		parent.abort(new Error("gone"));
		const due = deadline(1000, parent.signal);
		expect(due.signal.reason).toEqual(new Error("gone"));
		expect(jest.getTimerCount()).toBe(0);
	});
});
