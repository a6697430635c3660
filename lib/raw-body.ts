/**
 * Why a route that takes its body as sent (a workflow as JSON or YAML) got none: the
 * gateway reads only the media types it knows, so a YAML text sent without its
 * Content-Type (curl's --data-binary sends application/x-www-form-urlencoded) arrives as
 * no body at all. Say what to send instead of "body is required".
 */
import type { IncomingHttpHeaders } from "node:http";
import { AppError, badRequest } from "./errors";

const SEND = "send Content-Type: application/yaml for YAML, or application/json for JSON";

/** The error for a request whose body was not read, or null when it was (or there is none to read and none was needed). */
export function unreadBodyError(headers: IncomingHttpHeaders, bodyWasRead: boolean): AppError | null {
	if (bodyWasRead) return null;
	const hasBody = Number(headers["content-length"] ?? 0) > 0 || headers["transfer-encoding"] !== undefined;
	if (!hasBody) return badRequest(`The request has no body: ${SEND}`, [{ path: "body", message: "a workflow definition is required" }]);
	const type = String(headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
	const why = !type ? "The body has no Content-Type" : type === "application/x-www-form-urlencoded" ? "The body was sent as a form (curl --data-binary does that)" : `Content-Type ${type} is not read here`;
	return new AppError(`${why}: ${SEND}`, 415, "unsupported_media_type");
}
