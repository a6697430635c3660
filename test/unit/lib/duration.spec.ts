import { formatDuration, parseDuration } from "../../../lib/duration";

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
