/**
 * The worker process's entry: one task in, its result out (workerpool carries both over
 * the process's IPC channel as JSON). It exits when its parent goes away.
 */
import workerpool from "workerpool";
import { runTask } from "./tasks";

workerpool.worker({ run: runTask });
