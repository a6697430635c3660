import type { Migration } from "../lib/db";
import { usersAndCredentials } from "./0001-users-and-credentials";
import { workflowsAndOutbox } from "./0002-workflows-and-outbox";
import { executions } from "./0003-executions";
import { eventBus } from "./0004-event-bus";
import { executionTraceContext } from "./0005-execution-trace-context";
import { llmBudgetReservations } from "./0006-llm-budget-reservations";
import { agentsJournal } from "./0007-agents-journal";
import { eventsAndFlowControl } from "./0008-events-triggers-and-flow";
import { isolationExecutionTrees } from "./0009-isolation-execution-trees";
import { aiops } from "./0010-aiops";
import { llmCalls } from "./0011-llm-calls";
import { evals } from "./0012-evals";
import { llmSpend } from "./0013-llm-spend";

/** Every migration, in the order it runs. Append; never reorder or edit a released one. */
export const MIGRATIONS: Migration[] = [usersAndCredentials, workflowsAndOutbox, executions, eventBus, executionTraceContext, llmBudgetReservations, agentsJournal, eventsAndFlowControl, isolationExecutionTrees, aiops, llmCalls, evals, llmSpend];
