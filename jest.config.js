/** @type {import('jest').Config} */
const project = name => ({
	displayName: name,
	testEnvironment: "node",
	// Type-checking is `npm run typecheck`; tests transpile only (tsconfig's isolatedModules).
	transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
	testMatch: [`<rootDir>/test/${name}/**/*.spec.ts`],
	// The peers benchmark has its own node_modules (DBOS, BullMQ, Restate): never part of the product's module map.
	modulePathIgnorePatterns: ["<rootDir>/bench/peers/"]
});

module.exports = {
	// Probes PostgreSQL, Redis, RabbitMQ and NATS once and builds dist/ for tests that start node processes.
	globalSetup: "<rootDir>/test/support/global-setup.ts",
	// security replays every hostile case of issue 15 (and keeps growing); chaos runs the fault experiments on private
	// PostgreSQL/NATS/Redis (quick here, full with `npm run test:chaos`). CI runs both with the rest.
	projects: [project("unit"), project("integration"), project("cluster"), project("security"), project("chaos")],
	testTimeout: 60000,
	collectCoverageFrom: ["lib/**/*.ts", "services/**/*.ts", "mixins/**/*.ts", "middlewares/**/*.ts"],
	coverageReporters: ["text-summary", "lcov"]
};
