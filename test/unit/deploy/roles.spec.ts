import { SERVICE_NAMES } from "../../../lib/config";
import { DEPLOYMENT_ROLES, isShipped, UPCOMING_SERVICES } from "../../support/deployment";

/** The table of roles that docker-compose.yml and k8s/ are checked against, held to the services that exist. */
describe("deployment roles", () => {
	const deployed = DEPLOYMENT_ROLES.flatMap(r => r.services);

	it("runs every service a node can load, in exactly one role", () => {
		for (const service of SERVICE_NAMES) {
			const roles = DEPLOYMENT_ROLES.filter(r => r.services.includes(service)).map(r => r.role);
			if (roles.length !== 1)
				throw new Error(`Service ${service} is in SERVICE_NAMES but ${roles.length ? `runs in ${roles.join(" and ")}` : "no role runs it"}: give it one role in test/support/deployment.ts, docker-compose.yml and k8s/`);
		}
		expect(new Set(deployed).size).toBe(deployed.length);
	});

	it("runs only services that exist or are announced as upcoming", () => {
		const unknown = deployed.filter(s => !isShipped(s) && !UPCOMING_SERVICES.includes(s));
		if (unknown.length) throw new Error(`The deployment files run ${unknown.join(", ")}, which SERVICE_NAMES (lib/config.ts) does not know`);
	});

	it("announces as upcoming only services that some role runs", () => {
		expect(UPCOMING_SERVICES.filter(s => !deployed.includes(s))).toEqual([]);
	});

	it("names roles as compose services and Deployments can be named", () => {
		for (const { role } of DEPLOYMENT_ROLES) expect(role).toMatch(/^[a-z][a-z0-9-]{0,40}$/);
	});
});
