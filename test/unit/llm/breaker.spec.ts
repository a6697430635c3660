import { CircuitBreaker } from "../../../lib/llm/breaker";
import { ManualClock } from "../../support/manual-clock";

describe("circuit breaker", () => {
	it("opens after the threshold of failures in a row, half-opens after the reset timeout, and closes on a good trial", () => {
		const clock = new ManualClock();
		const breaker = new CircuitBreaker({ failureThreshold: 3, resetTimeout: 10_000 }, clock);
		expect(breaker.state).toBe("closed");
		for (let i = 0; i < 2; i++) {
			expect(breaker.tryAcquire()).toBe(true);
			breaker.recordFailure();
		}
		expect(breaker.state).toBe("closed");
		breaker.recordFailure();
		expect(breaker.state).toBe("open");
		expect(breaker.tryAcquire()).toBe(false);

		clock.advance(10_000);
		expect(breaker.state).toBe("half-open");
		expect(breaker.tryAcquire()).toBe(true);
		// Only one trial at a time.
		expect(breaker.tryAcquire()).toBe(false);
		breaker.recordSuccess();
		expect(breaker.state).toBe("closed");
		expect(breaker.tryAcquire()).toBe(true);
	});

	it("opens again when the half-open trial fails", () => {
		const clock = new ManualClock();
		const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeout: 1000 }, clock);
		breaker.recordFailure();
		clock.advance(1000);
		expect(breaker.tryAcquire()).toBe(true);
		breaker.recordFailure();
		expect(breaker.state).toBe("open");
		clock.advance(999);
		expect(breaker.tryAcquire()).toBe(false);
	});

	it("a success resets the count of failures", () => {
		const breaker = new CircuitBreaker({ failureThreshold: 2, resetTimeout: 1000 }, new ManualClock());
		breaker.recordFailure();
		breaker.recordSuccess();
		breaker.recordFailure();
		expect(breaker.state).toBe("closed");
	});
});
