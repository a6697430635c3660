import { ServiceBroker } from "moleculer";
import { createRootLogger } from "../../../lib/logging";
import { PinoJsonLogger } from "../../../middlewares/pino-logger";
import { LogCapture } from "../../support/logs";

describe("Moleculer's logs through pino", () => {
	it("writes what is at or above the level, masked, and does not touch the arguments of what is below it", async () => {
		const capture = new LogCapture();
		const broker = new ServiceBroker({ nodeID: "n1", logger: new PinoJsonLogger(createRootLogger({ level: "info", base: {}, destination: capture }), "info") });
		const logger = broker.getLogger("svc", { svc: "svc" });
		let read = 0;
		const watched = {
			get secret() {
				read++;
				return "hidden";
			}
		};
		logger.debug(watched, "Not written");
		logger.trace("Not written either", watched);
		expect(read).toBe(0);
		logger.info({ user_id: "u1", password: "hunter2" }, "Written");
		logger.warn("Also written", watched);
		expect(read).toBeGreaterThan(0);
		const ours = capture.lines.filter(l => l.service === "svc");
		expect(ours.map(l => [l.level, l.msg])).toEqual([
			["info", "Written"],
			["warn", "Also written"]
		]);
		expect(ours[0].user_id).toBe("u1");
		expect(JSON.stringify(ours[0])).not.toContain("hunter2");
		await broker.stop();
	});
});
