import type { JsonSchema } from "./openapi/fastest-validator";

/** Pages of lists in the API: `page` from 1, `page_size` up to 100 (20 when not given). */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** The last page one may ask for: a page past it would only be empty, and a huge one (1e308) overflows the SQL OFFSET. */
export const MAX_PAGE = 1_000_000;

/** The validator rules of `page` and `page_size`, for an action's params. */
export const PAGE_PARAMS = {
	page: { type: "number", integer: true, positive: true, max: MAX_PAGE, convert: true, optional: true },
	page_size: { type: "number", integer: true, positive: true, max: MAX_PAGE_SIZE, convert: true, optional: true }
} as const;

export function pageOf(params: { page?: number; page_size?: number }): { page: number; pageSize: number; offset: number } {
	const page = params.page ?? 1;
	const pageSize = params.page_size ?? DEFAULT_PAGE_SIZE;
	return { page, pageSize, offset: (page - 1) * pageSize };
}

/** The JSON Schema of a page: `{<items>: [...], total, page, page_size}`. */
export function pageSchema(title: string, itemsKey: string, item: JsonSchema): JsonSchema {
	return {
		title,
		type: "object",
		required: [itemsKey, "total", "page", "page_size"],
		properties: { [itemsKey]: { type: "array", items: item }, total: { type: "integer" }, page: { type: "integer" }, page_size: { type: "integer" } },
		additionalProperties: false
	};
}
