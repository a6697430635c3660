import { AUDITED_EVENTS, auditEntryOf } from "../../../../lib/audit/log";
import { domainEvent } from "../../../../lib/events/outbox";

describe("audit entries", () => {
	const at = Date.parse("2026-03-01T10:00:00.000Z");

	it("says who did what to what, when and from where", () => {
		const e = domainEvent("WorkflowCreated", { type: "workflow", id: "ref-1" }, { workflow_ref: "ref-1", workflow_id: "deploy", version: "1.0.0", owner_id: "u1", status: "active", step_count: 3, client_ip: "203.0.113.9" }, at);
		expect(auditEntryOf(e)).toEqual({
			event_id: e.event_id,
			occurred_at: at,
			actor_id: "u1",
			action: "workflow.created",
			resource_type: "workflow",
			resource_id: "ref-1",
			client_ip: "203.0.113.9",
			details: { workflow_id: "deploy", version: "1.0.0", status: "active", step_count: 3 }
		});
	});

	it("names the admin who changed a user's roles, with the change", () => {
		const e = domainEvent("UserUpdated", { type: "user", id: "u2" }, { user_id: "u2", email: "b@example.com", changes: { roles: { from: ["user"], to: ["admin"] } }, changed_by: "admin-1", client_ip: null }, at);
		expect(auditEntryOf(e)).toMatchObject({ actor_id: "admin-1", action: "auth.user_updated", resource_type: "user", resource_id: "u2", client_ip: null, details: { changes: { roles: { from: ["user"], to: ["admin"] } } } });
	});

	it("puts a scheduled run on its owner, and an API run on who started it", () => {
		const scheduled = domainEvent("WorkflowExecutionStarted", { type: "execution", id: "x1" }, { execution_id: "x1", owner_id: "u1", trigger: "schedule", started_by: null }, at);
		expect(auditEntryOf(scheduled)).toMatchObject({ actor_id: "u1", action: "execution.started", resource_id: "x1", details: { trigger: "schedule" } });
		const byAdmin = domainEvent("WorkflowExecutionStarted", { type: "execution", id: "x2" }, { execution_id: "x2", owner_id: "u1", trigger: "api", started_by: "admin-1" }, at);
		expect(auditEntryOf(byAdmin).actor_id).toBe("admin-1");
	});

	it("covers logins, role changes, API keys and workflow lifecycle; execution starts are audited by their own handler", () => {
		expect(AUDITED_EVENTS).toEqual(expect.arrayContaining(["WorkflowCreated", "WorkflowActivated", "WorkflowArchived", "UserLoggedIn", "UserUpdated", "ApiKeyCreated", "ApiKeyRevoked", "WorkflowExecutionCancelled"]));
		expect(AUDITED_EVENTS).not.toContain("WorkflowExecutionStarted");
	});

	it("logs an event it has no words for under its own name", () => {
		const e = domainEvent("SomethingNew", { type: "thing", id: "t1" }, { owner_id: "u1" }, at);
		expect(auditEntryOf(e)).toMatchObject({ action: "SomethingNew", resource_type: "thing", resource_id: "t1", actor_id: "u1", details: {} });
	});
});
