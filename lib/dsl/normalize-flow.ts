import { FieldReader } from "./fields";
import { LIMITS, type ConcurrencyLimit, type Debounce, type EventTrigger, type RateLimit } from "./model";
import { childPath, isPlainObject } from "./paths";

/**
 * The workflow fields about how runs start: `triggers` (events that start a run) and flow
 * control (`concurrency`, `rate_limit`, `debounce`, `priority`). Shapes only; rules about
 * values (event names, conditions, key templates) are `validate-flow.ts`'s.
 */

export function readTriggers(reader: FieldReader): EventTrigger[] {
	const field = reader.take("triggers");
	if (!field) return [];
	if (!Array.isArray(field.value)) {
		reader.problem("triggers", "must be a list of triggers ({event, filter?})");
		return [];
	}
	const out: EventTrigger[] = [];
	field.value.forEach((raw, i) => {
		const path = childPath(reader.at("triggers"), i);
		if (!isPlainObject(raw)) {
			reader.problems.push({ path, message: "must be an object {event, filter?}" });
			return;
		}
		const trigger = new FieldReader(raw, path, reader.problems);
		const event = trigger.string("event");
		if (event === null) trigger.problem("event", "is required: the name of the event that starts a run");
		const filter = trigger.take("filter");
		let condition: string | null = null;
		if (filter && typeof filter.value === "string") condition = filter.value;
		else if (filter) trigger.problem("filter", "must be a condition such as ${{ event.data.total }} > 100");
		trigger.rejectUnknown("a trigger (event, filter)");
		out.push({ event: event ?? "", filter: condition });
	});
	return out;
}

/** `{key?, limit}`: at most `limit` runs of one key at once. */
export function readConcurrency(reader: FieldReader): ConcurrencyLimit | null {
	const flow = objectField(reader, "concurrency", "{key?, limit}");
	if (!flow) return null;
	const key = flow.string("key");
	const limit = readLimit(flow, "limit", "runs of one key at once");
	flow.rejectUnknown("concurrency (key, limit)");
	return { key, limit: limit ?? 1 };
}

/** `{key?, limit, period}`: at most `limit` starts of one key per `period`. */
export function readRateLimit(reader: FieldReader): RateLimit | null {
	const flow = objectField(reader, "rate_limit", "{key?, limit, period}");
	if (!flow) return null;
	const key = flow.string("key");
	const limit = readLimit(flow, "limit", "starts of one key per period");
	const period = readPeriod(flow);
	flow.rejectUnknown("rate_limit (key, limit, period)");
	return { key, limit: limit ?? 1, period: period ?? 1000 };
}

/** `{key?, period}`: runs of one key wait for `period` of quiet; the last of a burst runs. */
export function readDebounce(reader: FieldReader): Debounce | null {
	const flow = objectField(reader, "debounce", "{key?, period}");
	if (!flow) return null;
	const key = flow.string("key");
	const period = readPeriod(flow);
	flow.rejectUnknown("debounce (key, period)");
	return { key, period: period ?? 1000 };
}

export function readPriority(reader: FieldReader): number {
	const field = reader.take("priority");
	if (!field) return 0;
	if (typeof field.value === "number" && Number.isInteger(field.value) && Math.abs(field.value) <= LIMITS.maxPriority) return field.value;
	reader.problem("priority", `must be a whole number from -${LIMITS.maxPriority} to ${LIMITS.maxPriority}`);
	return 0;
}

function objectField(reader: FieldReader, name: string, shape: string): FieldReader | null {
	const field = reader.take(name);
	if (!field) return null;
	if (!isPlainObject(field.value)) {
		reader.problem(name, `must be an object ${shape}`);
		return null;
	}
	return new FieldReader(field.value, reader.at(name), reader.problems);
}

function readLimit(reader: FieldReader, name: string, what: string): number | null {
	const field = reader.take(name);
	if (!field) {
		reader.problem(name, `is required: ${what}`);
		return null;
	}
	if (typeof field.value === "number" && Number.isInteger(field.value) && field.value >= 1 && field.value <= LIMITS.maxFlowLimit) return field.value;
	reader.problem(name, `must be a whole number from 1 to ${LIMITS.maxFlowLimit}`);
	return null;
}

function readPeriod(reader: FieldReader): number | null {
	if (reader.take("period") === undefined) {
		reader.problem("period", 'is required: a duration such as "1s", "1m" or "1h"');
		return null;
	}
	// Read again as a duration (take() above only checked presence; FieldReader remembers it was read).
	const ms = reader.duration(LIMITS.maxFlowPeriodMs, "period");
	if (ms === 0) {
		reader.problem("period", "must be longer than 0");
		return null;
	}
	return ms;
}
