import { embeddedHarness } from "../support/engine-harness";
import { defineEngineSuite } from "../support/engine-suite";

defineEngineSuite("engine (embedded: one process, SQLite)", embeddedHarness);
